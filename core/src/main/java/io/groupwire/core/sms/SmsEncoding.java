package io.groupwire.core.sms;

/**
 * The two character encodings an SMS can travel in. A text that fits the GSM 03.38 alphabet goes
 * as GSM-7 (7-bit septets); a single character outside it sends the whole text as UCS-2 (UTF-16
 * code units), which more than halves the room per segment.
 */
public enum SmsEncoding {
    /** GSM 03.38 default alphabet plus its extension table; SMPP {@code data_coding} 0x00. */
    GSM_7(0x00),
    /** UCS-2 / UTF-16; SMPP {@code data_coding} 0x08. */
    UCS_2(0x08);

    private final int dataCoding;

    SmsEncoding(int dataCoding) {
        this.dataCoding = dataCoding;
    }

    /** The SMPP {@code data_coding} value of this encoding. */
    public int dataCoding() {
        return dataCoding;
    }

    /** The lower-case label used in metrics ({@code sms_segments_total{encoding}}) and logs. */
    public String label() {
        return this == GSM_7 ? "gsm7" : "ucs2";
    }
}
