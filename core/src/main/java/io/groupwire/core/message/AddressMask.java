package io.groupwire.core.message;

/**
 * What an operator may see of a delivery's address: enough to tell two recipients apart, never a
 * whole phone number or device token. A phone keeps its first three and last two characters, a
 * token its first and last four.
 */
public final class AddressMask {
    private AddressMask() {
    }

    public static String mask(Channel channel, String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        if (channel == Channel.SMS) {
            if (address.length() <= 6) {
                return "•".repeat(address.length());
            }
            return address.substring(0, 3) + "•".repeat(address.length() - 5) + address.substring(address.length() - 2);
        }
        if (address.length() <= 12) {
            return "…" + address.substring(Math.max(0, address.length() - 2));
        }
        return address.substring(0, 4) + "…" + address.substring(address.length() - 4);
    }
}
