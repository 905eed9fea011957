package io.groupwire.deploy;

import io.groupwire.bench.Bench;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code java -jar groupwire.jar [all|gateway|transport|events|pacer|console|sandbox|bench ...|deadletters ...]}: runs
 * the whole platform in one JVM (the default), one service alone (the console is the operators' web
 * page), the benchmark, or the operators' dead-letter command.
 */
public final class Main {
    private static final Set<String> SERVICES = Set.of("all", "gateway", "transport", "events", "pacer", "console", "sandbox");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String format = System.getenv("GROUPWIRE_LOG_FORMAT");
        if (format != null && !format.isBlank() && !format.equals("text") && !format.equals("json")) {
            // checked before anything logs: Logback would otherwise drop every line without a word
            System.err.println("GROUPWIRE_LOG_FORMAT must be text or json");
            System.exit(2);
            return;
        }
        String level = System.getenv("GROUPWIRE_LOG_LEVEL");
        if (level != null && !level.isBlank() && !Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level.toUpperCase(java.util.Locale.ROOT))) {
            // Logback would read an unknown level as DEBUG
            System.err.println("GROUPWIRE_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE");
            System.exit(2);
            return;
        }
        String mode = args.length == 0 ? "all" : args[0];
        if (mode.equals("deadletters")) {
            System.exit(DeadLetterCommand.run(Arrays.asList(args).subList(1, args.length),
                    io.groupwire.core.config.Env.system(), System.out, System.err));
            return;
        }
        if (mode.equals("events") && args.length > 1) {
            System.exit(EventsCommand.run(Arrays.asList(args).subList(1, args.length),
                    io.groupwire.core.config.Env.system(), System.out, System.err));
            return;
        }
        if (mode.equals("bench")) {
            Bench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("-h") || mode.equals("--help") || mode.equals("help") || !SERVICES.contains(mode)) {
            System.out.println("usage: java -jar groupwire.jar [all|gateway|transport|events|pacer|console|sandbox]");
            System.out.println("       java -jar groupwire.jar bench [--stages ceiling,mailbox,path] [--duration 20s] [--soak 60s] [--json FILE] [--smoke]");
            System.out.println("       java -jar groupwire.jar events lag | events replay --group notifier|counters --from <time|id|start>");
            System.out.println("       java -jar groupwire.jar deadletters list|count|replay [--queue mailbox|apns|fcm|sms] [--max N]");
            System.out.println("Configuration comes from GROUPWIRE_* environment variables; see README.md.");
            System.exit(SERVICES.contains(mode) || mode.startsWith("-") || mode.equals("help") ? 0 : 2);
            return;
        }
        Launcher.run(mode);
    }
}
