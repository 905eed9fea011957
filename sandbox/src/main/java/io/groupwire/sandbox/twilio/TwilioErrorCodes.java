package io.groupwire.sandbox.twilio;

/**
 * The Twilio error codes the sandbox answers with, as Twilio documents them (docs/providers.md).
 * The SMS adapter keeps its own list of the codes it acts on; its TwilioSmsClientSandboxTest runs
 * the client against this sandbox, so the two cannot drift apart unnoticed.
 */
final class TwilioErrorCodes {
    /** Authentication failed (wrong account sid or auth token). HTTP 401. */
    static final int AUTHENTICATE = 20003;
    /** The requested resource was not found. HTTP 404. */
    static final int NOT_FOUND = 20404;
    /**
     * The sandbox's code for a request it cannot read at all: malformed form encoding, bytes that
     * are not UTF-8, an oversized body, the wrong content type. HTTP 400.
     */
    static final int UNREADABLE_REQUEST = 20422;
    /** Too many concurrent requests for the account: never processed, always safe to retry. HTTP 429. */
    static final int TOO_MANY_REQUESTS = 20429;
    /** Twilio's internal server error. HTTP 500. */
    static final int INTERNAL_ERROR = 20500;
    /** Invalid 'To' phone number. */
    static final int INVALID_TO = 21211;
    /** Invalid 'From' phone number. */
    static final int INVALID_FROM = 21212;
    /** Message body is required. */
    static final int BODY_REQUIRED = 21602;
    /** A 'From' phone number is required. */
    static final int FROM_REQUIRED = 21603;
    /** The recipient replied STOP: never send again until they opt back in. */
    static final int OPTED_OUT = 21610;
    /** The 'To' number is not a mobile number (landline). */
    static final int NOT_MOBILE = 21614;
    /** The body exceeds 1600 characters. */
    static final int BODY_TOO_LONG = 21617;
    /** The body contains characters that cannot be sent (control characters). */
    static final int INVALID_BODY = 14103;

    private TwilioErrorCodes() {
    }

    /** Twilio's documentation page for a code, as its answers carry it in {@code more_info}. */
    static String moreInfo(int code) {
        return "https://www.twilio.com/docs/errors/" + code;
    }
}
