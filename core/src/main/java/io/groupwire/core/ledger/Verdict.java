package io.groupwire.core.ledger;

/** What the ledger says about a claimed delivery before it is sent; see {@link DeliveryLedger#begin}. */
public enum Verdict {
    /** Send it. */
    GO,
    /** Its previous owner died mid-send: the provider may have it. The channel's policy decides. */
    AMBIGUOUS,
    /** Already settled: acknowledge without sending (a suppressed duplicate). */
    DONE,
    /** Its ledger expired with the message: acknowledge without sending. */
    GONE
}
