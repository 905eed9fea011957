package io.groupwire.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the OpenAPI operation a request is for, before any route has matched it, so that the
 * handlers that run first (body limits, authentication, timing, error rendering) know which
 * endpoint they serve. The table is built from the OpenAPI document itself, so it cannot drift
 * from the routes.
 */
final class Operations implements Handler<RoutingContext> {
    /** The label of requests that match no operation. */
    static final String UNMATCHED = "unmatched";
    private static final String KEY = "groupwire.operation";
    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]+}");

    private record Entry(HttpMethod method, Pattern path, String id) {
    }

    private final List<Entry> entries = new ArrayList<>();

    Operations(List<Operation> operations) {
        for (Operation op : operations) {
            entries.add(new Entry(op.getHttpMethod(), template(op.getOpenAPIPath()), op.getOperationId()));
        }
    }

    /** A path template such as {@code /v1/groups/{id}} as a pattern matching one segment per parameter. */
    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = PARAMETER.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start()))).append("[^/]+");
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(path.substring(last))).append("/?$").toString());
    }

    String of(HttpMethod method, String path) {
        for (Entry e : entries) {
            if (e.method().equals(method) && e.path().matcher(path).matches()) {
                return e.id();
            }
        }
        return UNMATCHED;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(KEY, of(ctx.request().method(), ctx.normalizedPath()));
        ctx.next();
    }

    /** The operation of a request this handler has seen; {@link #UNMATCHED} otherwise. */
    static String current(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id == null ? UNMATCHED : id;
    }
}
