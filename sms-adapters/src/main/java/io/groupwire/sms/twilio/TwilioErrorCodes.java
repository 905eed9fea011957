package io.groupwire.sms.twilio;

/**
 * The Twilio error codes the client acts on (docs/providers.md). The sandbox, playing Twilio, keeps
 * its own list of the codes it answers with; TwilioSmsClientSandboxTest runs this client against it,
 * so the two cannot drift apart unnoticed.
 */
final class TwilioErrorCodes {
    /** Authentication failed (wrong account sid or auth token). HTTP 401. */
    static final int AUTHENTICATE = 20003;
    /** Too many concurrent requests for the account: never processed, always safe to retry. HTTP 429. */
    static final int TOO_MANY_REQUESTS = 20429;
    /** Invalid 'To' phone number. */
    static final int INVALID_TO = 21211;
    /** The recipient replied STOP: never send again until they opt back in. */
    static final int OPTED_OUT = 21610;
    /** The 'From' number's queue is full: rejected before queueing, safe to retry later. */
    static final int SENDER_QUEUE_FULL = 21611;
    /** The 'To' number is not a mobile number (landline). */
    static final int NOT_MOBILE = 21614;

    private TwilioErrorCodes() {
    }
}
