package io.groupwire.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The runner's own logging configuration ({@code logback.xml}) in a chosen format and level, its
 * standard output captured, for tests that read the log as an operator would. Closing it restores
 * standard output and the test configuration.
 */
final class CapturedLog implements AutoCloseable {
    /** The start of every text line: ISO-8601 time with offset, then the level. */
    static final Pattern TEXT_LINE = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR) \\[.*");

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /**
     * @param format {@code text} or {@code json}, as GROUPWIRE_LOG_FORMAT
     * @param groupwireLevel the level of Groupwire's own loggers (the rest log at INFO, as in production)
     */
    CapturedLog(String format, Level groupwireLevel) throws JoranException {
        System.setOut(new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8));
        configure(format, "INFO");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.groupwire").setLevel(groupwireLevel);
    }

    private static void configure(String format, String level) throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("GROUPWIRE_LOG_FORMAT", format);
        context.putProperty("GROUPWIRE_LOG_LEVEL", level);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CapturedLog.class.getResource("/logback.xml"));
    }

    /** The lines logged so far. */
    List<String> lines() {
        synchronized (captured) {
            String text = captured.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
        }
    }

    @Override
    public void close() throws JoranException {
        System.setOut(original);
        configure("text", System.getProperty("GROUPWIRE_LOG_LEVEL", "INFO"));
    }

    /** Keeps what is logged and still shows it in the test's output. */
    private static final class TeeStream extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;
        private final PrintStream out;

        TeeStream(ByteArrayOutputStream copy, PrintStream out) {
            this.copy = copy;
            this.out = out;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            out.write(b, off, len);
        }
    }
}
