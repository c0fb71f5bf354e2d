package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.SecretValue;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a credential sits inside one Secret's data, by the target's {@linkplain io.rotor.contracts.credential.SecretFormat
 * format}: named keys, a clouds.yaml cloud, openrc variables, or a rendered template. Pure functions over decoded data
 * ({@link SecretData} converts from and to a Secret): rotators {@linkplain #read read} the current value from the first
 * Secret; the secret writer {@linkplain #write writes} the new one into every Secret.
 *
 * <p>Writing changes only what belongs to the fields given; every other key, and in files every other line, cloud,
 * variable and comment, stays byte for byte as it was.
 */
public sealed interface SecretLayout permits KeysLayout, CloudsYamlLayout, OpenrcLayout, TemplateLayout {

    /**
     * The layout of a target. Its spec has been validated already; a template that names unknown fields fails here.
     *
     * @throws SecretLayoutException {@link SecretLayoutException.Reason#TEMPLATE_INVALID} for a bad template
     */
    static SecretLayout of(SecretTarget target) {
        Objects.requireNonNull(target, "target");
        return switch (target.format()) {
            case KEYS -> new KeysLayout(target.keys());
            case CLOUDS_YAML -> new CloudsYamlLayout(target.fileKey(), target.cloud());
            case OPENRC -> new OpenrcLayout(target.fileKey());
            case TEMPLATE -> new TemplateLayout(target.fileKey(), target.template());
        };
    }

    /**
     * The credential fields the data holds in this layout. Fields it has no place for, or whose place is empty, are
     * absent from the answer.
     *
     * @throws SecretLayoutException when the content cannot be parsed, or a present field cannot be read
     */
    Map<CredentialField, SecretValue> read(Map<String, byte[]> data);

    /**
     * A copy of {@code data} with {@code fields} written in this layout. Fields the layout has no place for are
     * ignored; fields it has a place for but that are not given keep their current value.
     *
     * @throws SecretLayoutException when the content cannot be edited safely; {@code data} is never half-changed
     */
    Map<String, byte[]> write(Map<String, byte[]> data, Map<CredentialField, SecretValue> fields);

    /** The data keys {@link #write} may change; all others are copied as they are. */
    Set<String> dataKeys();

    /** The fields this layout has a place for. */
    Set<CredentialField> fields();

    /** Where a field lives, for messages: {@code key 'password'}, {@code clouds.yaml cloud 'prod' auth.password}. */
    String describe(CredentialField field);

    /**
     * The field's current value.
     *
     * @throws SecretLayoutException {@link SecretLayoutException.Reason#MISSING} naming the place it should be
     */
    default SecretValue require(Map<String, byte[]> data, CredentialField field) {
        SecretValue value = read(data).get(field);
        if (value == null) {
            throw new SecretLayoutException(SecretLayoutException.Reason.MISSING,
                    "the Secret holds no " + field.key() + " at " + describe(field));
        }
        return value;
    }
}
