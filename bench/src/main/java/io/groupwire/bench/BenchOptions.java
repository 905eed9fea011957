package io.groupwire.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@code groupwire.jar bench}.
 *
 * <pre>
 *   --stages ceiling,mailbox,path   which stages to run (default all three)
 *   --duration 20s                  measuring time of each closed-loop step
 *   --soak 60s                      length of the half-load run that checks memory stays flat
 *   --json FILE                     also write the figures as JSON
 *   --smoke                         a few seconds per stage, for CI: proves the bench runs, measures nothing
 * </pre>
 */
record BenchOptions(Set<String> stages, Duration duration, Duration soak, Path json, boolean smoke) {

    static BenchOptions parse(List<String> args) {
        Set<String> stages = new LinkedHashSet<>(List.of("ceiling", "mailbox", "path"));
        Duration duration = Duration.ofSeconds(20);
        Duration soak = Duration.ofSeconds(60);
        Path json = null;
        boolean smoke = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--stages" -> {
                    stages = new LinkedHashSet<>(List.of(value(args, ++i, a).split(",")));
                    for (String s : stages) {
                        if (!Set.of("ceiling", "mailbox", "path").contains(s)) {
                            throw new IllegalArgumentException("unknown stage " + s + "; use ceiling, mailbox, path");
                        }
                    }
                }
                case "--duration" -> duration = seconds(value(args, ++i, a), a);
                case "--soak" -> soak = seconds(value(args, ++i, a), a);
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--smoke" -> smoke = true;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (smoke) {
            duration = Duration.ofSeconds(2);
            soak = Duration.ofSeconds(3);
        }
        return new BenchOptions(stages, duration, soak, json, smoke);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static Duration seconds(String v, String option) {
        String s = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
        try {
            long n = Long.parseLong(s);
            if (n < 1 || n > 3600) {
                throw new IllegalArgumentException(option + " must be between 1s and 3600s");
            }
            return Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds, e.g. 20s", e);
        }
    }
}
