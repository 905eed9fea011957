package io.groupwire.transport;

import io.groupwire.core.directory.Device;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.core.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides who receives a message and how: every member but the sender, once per registered
 * device (APNs or FCM), or by SMS when the member has no device and has a phone.
 */
final class FanoutPlanner {
    private FanoutPlanner() {
    }

    static List<Delivery> plan(Message m, GroupRoute route) {
        String senderName = route.memberName(m.senderId());
        List<Delivery> out = new ArrayList<>();
        for (GroupRoute.Member member : route.members()) {
            if (member.userId().equals(m.senderId())) {
                continue;
            }
            if (!member.devices().isEmpty()) {
                for (Device d : member.devices()) {
                    out.add(delivery(m, route, senderName, member, d.id(), d.platform(), d.token()));
                }
            } else if (member.phone() != null && !member.phone().isEmpty()) {
                out.add(delivery(m, route, senderName, member, null, Channel.SMS, member.phone()));
            }
        }
        return out;
    }

    private static Delivery delivery(Message m, GroupRoute route, String senderName, GroupRoute.Member member,
                                     String deviceId, Channel channel, String address) {
        return Delivery.builder().messageId(m.id()).groupId(m.groupId()).groupName(route.name())
                .senderId(m.senderId()).senderName(senderName).recipientId(member.userId()).deviceId(deviceId)
                .channel(channel).address(address).text(m.text()).acceptedAtMillis(m.acceptedAtMillis()).build();
    }
}
