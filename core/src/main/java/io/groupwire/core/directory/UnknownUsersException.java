package io.groupwire.core.directory;

import java.util.List;

/** Some of the user ids given to the directory (new group members) name no user. */
public final class UnknownUsersException extends RuntimeException {
    private final List<String> missing;

    public UnknownUsersException(List<String> missing) {
        super("no such users: " + String.join(", ", missing.subList(0, Math.min(10, missing.size())))
                + (missing.size() > 10 ? ", ..." : ""), null, false, false);
        this.missing = List.copyOf(missing);
    }

    /** The ids that name no user, in the order given. */
    public List<String> missing() {
        return missing;
    }
}
