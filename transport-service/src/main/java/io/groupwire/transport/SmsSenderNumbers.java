package io.groupwire.transport;

import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.reply.ReplyNumbers;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each planned SMS the member's reply number for its group as its sender, and holds back
 * the SMS a phone does not want (it sent STOP, or MUTE to that group), counting them as suppressed.
 * Push deliveries pass through untouched. Without a number pool the SMS go out from the provider's
 * configured sender and nobody can reply.
 */
final class SmsSenderNumbers {
    private final ReplyNumbers numbers;
    private final TransportMetrics metrics;

    /** @param numbers null when no pool is configured */
    SmsSenderNumbers(ReplyNumbers numbers, TransportMetrics metrics) {
        this.numbers = numbers;
        this.metrics = metrics;
    }

    Future<List<Delivery>> apply(List<Delivery> planned) {
        if (numbers == null || planned.stream().noneMatch(d -> d.channel() == Channel.SMS)) {
            return Future.succeededFuture(planned);
        }
        List<Future<Delivery>> out = new ArrayList<>(planned.size());
        for (Delivery d : planned) {
            out.add(d.channel() != Channel.SMS ? Future.succeededFuture(d)
                    : numbers.forSending(d.recipientId(), d.address(), d.groupId()).map(a -> {
                        if (a.optedOut()) {
                            metrics.suppressed("opted_out");
                            return null;
                        }
                        if (a.muted()) {
                            metrics.suppressed("muted");
                            return null;
                        }
                        return d.withFrom(a.number());
                    }));
        }
        return Future.all(out).map(all -> {
            List<Delivery> kept = new ArrayList<>(planned.size());
            for (Future<Delivery> f : out) {
                if (f.result() != null) {
                    kept.add(f.result());
                }
            }
            return kept;
        });
    }
}
