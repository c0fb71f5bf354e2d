package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP request of a recipe. Values may use {@code {{variables}}}: {@code username}, {@code currentPassword},
 * {@code newPassword}, and whatever earlier steps extracted. A step fails when the status is not expected, when
 * {@code failIfBodyContains} appears, or when {@code successIfBodyContains} does not.
 *
 * @param path     relative to the portal URL
 * @param form     a form body (application/x-www-form-urlencoded), values templated
 * @param json     a JSON body template; substituted values are JSON-escaped
 */
public record RecipeStep(String name, String method, String path, Map<String, String> headers,
        Map<String, String> form, String json, List<Integer> expectStatus, String successIfBodyContains,
        String failIfBodyContains, List<RecipeExtraction> extract) implements Validatable {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    public List<Integer> expectedStatuses() {
        return expectStatus == null || expectStatus.isEmpty() ? List.of(200, 201, 204, 302, 303) : expectStatus;
    }

    @Override
    public void validate(Validator v) {
        if (v.required("name", name)) {
            v.maxLength("name", name, 64);
        }
        if (v.required("method", method) && !METHODS.contains(method)) {
            v.fail("method", "must be one of " + METHODS.stream().sorted().toList());
        }
        if (v.required("path", path)) {
            v.maxLength("path", path, 1024);
            if (!path.startsWith("/")) {
                v.fail("path", "must start with '/' (it is relative to the portal URL)");
            } else if (leavesPortal(path)) {
                // '//host/x' is another host to a URL resolver; '..' and '\\' climb or confuse paths.
                v.fail("path", "must stay on the portal: no '//' at the start, no '\\', no '.' or '..' segments");
            }
        }
        if (form != null && json != null) {
            v.fail("json", "cannot be combined with form: a request has one body");
        }
        v.maxSize("headers", headers, 32);
        v.maxSize("form", form, 64);
        v.maxLength("json", json, 8192);
        if (expectStatus != null) {
            for (int i = 0; i < expectStatus.size(); i++) {
                v.range("expectStatus[" + i + "]", expectStatus.get(i), 100, 599);
            }
        }
        v.maxLength("successIfBodyContains", successIfBodyContains, 512);
        v.maxLength("failIfBodyContains", failIfBodyContains, 512);
        v.maxSize("extract", extract, 16);
        v.each("extract", extract);
    }

    static boolean leavesPortal(String path) {
        if (path.startsWith("//") || path.contains("\\")) {
            return true;
        }
        String beforeQuery = path.split("[?#]", 2)[0];
        for (String segment : beforeQuery.split("/")) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                return true;
            }
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                return true;
            }
        }
        return false;
    }
}
