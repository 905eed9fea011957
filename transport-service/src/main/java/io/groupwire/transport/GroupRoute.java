package io.groupwire.transport;

import io.groupwire.core.directory.Device;
import java.util.List;

/**
 * Where a group's messages go: its name and, per member, the devices and phone that receive them.
 * A snapshot of the directory at one version.
 */
record GroupRoute(String groupId, String name, List<Member> members) {
    GroupRoute {
        members = List.copyOf(members);
    }

    /** One member's destinations. */
    record Member(String userId, String name, String phone, List<Device> devices) {
        Member {
            devices = List.copyOf(devices);
        }
    }

    String memberName(String userId) {
        for (Member m : members) {
            if (m.userId().equals(userId)) {
                return m.name();
            }
        }
        return null;
    }
}
