#!/usr/bin/env bash
# Assembles the root filesystem every Rotor image is built on, without a Docker engine or a registry:
#   - a Java runtime jlink'd from the JDK running the build (JAVA_HOME), with the modules the services use;
#   - the shared libraries that runtime needs, unpacked from Debian packages fetched with `apt-get download`
#     (the versions are whatever the host's apt sources serve at build time; they are recorded in
#     /usr/share/rotor/runtime-packages.txt inside the image);
#   - /etc/passwd and /etc/group with the non-root user the Deployments run as (185), /tmp and /deployments.
# Usage: build-runtime.sh <output-dir>   (needs apt-get, dpkg-deb and jlink: a Debian or Ubuntu build host)
set -euo pipefail

out=${1:?usage: build-runtime.sh <output-dir>}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# The modules the services need: what jdeps finds referenced from their quarkus-app (unpacked: jdeps cannot resolve
# the jars as modules) - without jdk.compiler, which only Vert.x's code generator uses - plus what is looked up at
# run time rather than referenced: jdk.crypto.ec (TLS), jdk.naming.dns, jdk.zipfs, jdk.jfr, jdk.net, java.scripting,
# java.instrument. java.desktop is there for java.beans (Jackson); java.rmi for jakarta.transaction's exceptions.
modules=${ROTOR_IMAGE_JAVA_MODULES:-java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs}
# The libraries the jlink'd runtime links against (ldd of bin/java and lib/**/*.so on a Debian JDK).
packages=(libc6 zlib1g libgcc-s1 libstdc++6)

for tool in apt-get dpkg-deb "$java_home/bin/jlink"; do
  command -v "$tool" >/dev/null || { echo "build-runtime.sh: $tool not found (a Debian or Ubuntu host with a JDK is needed)" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$out/rootfs"

# 1. The Java runtime, at /opt/java.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$rootfs/opt/java"
# jlink links the per-module legal notices to java.base's: keep real files, the image format here has no symlinks.
find "$rootfs/opt/java" -type l | while read -r link; do cp --remove-destination "$(readlink -f "$link")" "$link"; done

# 2. Shared libraries from Debian packages, with their dpkg records (/var/lib/dpkg/status.d/, as distroless images
#    have them) and the distribution's os-release, so that image scanners (Trivy, Grype) see what is inside.
(cd "$work" && apt-get download "${packages[@]}" base-files >/dev/null 2>"$work/apt.log") \
  || { cat "$work/apt.log" >&2; exit 1; }
mkdir -p "$rootfs/usr/share/rotor" "$rootfs/var/lib/dpkg/status.d" "$rootfs/etc"
dpkg-deb --fsys-tarfile "$work"/base-files_*.deb | tar -xOf - ./usr/lib/os-release >"$rootfs/etc/os-release"
for package in "${packages[@]}"; do
  deb=$(ls "$work/${package}"_*.deb)
  dpkg-deb -x "$deb" "$rootfs"
  { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } >"$rootfs/var/lib/dpkg/status.d/$package"
  dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >>"$rootfs/usr/share/rotor/runtime-packages.txt"
done
jdk_package=$(dpkg -S "$(readlink -f "$java_home/lib/server/libjvm.so")" 2>/dev/null | cut -d: -f1 || true)
echo "java $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$rootfs/opt/java/release") (jlink of ${jdk_package:-$java_home}${jdk_package:+ $(dpkg-query -W -f='${Version}' "$jdk_package")})" \
  >>"$rootfs/usr/share/rotor/runtime-packages.txt"
# Documentation, locales, gconv modules and other tools' files are not needed at run time.
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/lintian" "$rootfs/usr/share/locale" "$rootfs/usr/share/gcc" \
  "$rootfs/usr/lib/x86_64-linux-gnu/gconv" "$rootfs/usr/lib/x86_64-linux-gnu/audit" "$rootfs/sbin" "$rootfs/usr/bin" \
  "$rootfs/usr/sbin" "$rootfs/usr/libexec" "$rootfs/usr/share/gdb" "$rootfs/etc/ld.so.conf.d"

# 3. Users, name service, the writable and application directories.
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/deployments"
printf 'root:x:0:0:root:/root:/sbin/nologin\nrotor:x:185:185:Rotor:/deployments:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nrotor:x:185:\n' >"$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chmod 1777 "$rootfs/tmp"

# Prove the runtime starts inside its own root, as the image's user, before any image is made from it (as root only:
# chroot needs it). The loader finds libjli.so through $ORIGIN, which needs /proc: mount one for the check.
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null && command -v unshare >/dev/null; then
  mkdir "$rootfs/proc"
  unshare --mount --pid --fork --mount-proc="$rootfs/proc" chroot --userspec=185:185 "$rootfs" /opt/java/bin/java -version \
    2>"$work/version" || { rmdir "$rootfs/proc"; cat "$work/version" >&2; exit 1; }
  rmdir "$rootfs/proc"
fi
du -sh "$rootfs" | cut -f1 | xargs echo "runtime root filesystem:" "$rootfs"
cat "$rootfs/usr/share/rotor/runtime-packages.txt"
