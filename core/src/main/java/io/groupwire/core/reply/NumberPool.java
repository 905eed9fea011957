package io.groupwire.core.reply;

import io.groupwire.core.config.Env;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The operator's pool of SMS numbers ({@code GROUPWIRE_SMS_NUMBERS}, comma-separated E.164, or a
 * file of one per line named by {@code GROUPWIRE_SMS_NUMBERS_FILE}). The first number is also the
 * overflow number shared by a member's groups beyond the pool's size.
 *
 * @param numbers the pool in the operator's order, without duplicates, never empty
 */
public record NumberPool(List<String> numbers) {
    /** The variable that names the pool. */
    public static final String VARIABLE = "GROUPWIRE_SMS_NUMBERS";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    public NumberPool {
        numbers = List.copyOf(new LinkedHashSet<>(numbers));
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " names no number");
        }
        for (String n : numbers) {
            if (!E164.matcher(n).matches()) {
                throw new IllegalArgumentException(VARIABLE + ": not an E.164 number: " + n);
            }
        }
    }

    /** Ten fictional numbers (+1 555 0100 to 0109, reserved for fiction): the runner's and the sandbox's default. */
    public static NumberPool sandbox() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add("+1555010010" + i);
        }
        return new NumberPool(out);
    }

    /** The configured pool, or {@code fallback} when none is configured (null: none). */
    public static NumberPool fromEnv(Env env, NumberPool fallback) {
        String raw = env.secret(VARIABLE);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (String part : raw.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return new NumberPool(out);
    }

    /** The number shared by a member's groups beyond the pool's size. */
    public String overflow() {
        return numbers.get(0);
    }

    public boolean contains(String number) {
        return numbers.contains(number);
    }
}
