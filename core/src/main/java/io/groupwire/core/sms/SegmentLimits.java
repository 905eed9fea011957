package io.groupwire.core.sms;

/**
 * How much text fits in one SMS and in each part of a concatenated one, per encoding, in that
 * encoding's units (septets for GSM-7, UTF-16 code units for UCS-2). A concatenated message loses
 * room in every part to the user data header that numbers the parts.
 *
 * @param gsmSingle   GSM-7 septets in a message sent as one segment
 * @param gsmPart     GSM-7 septets in each part of a concatenated message
 * @param ucs2Single  UCS-2 units in a message sent as one segment
 * @param ucs2Part    UCS-2 units in each part of a concatenated message
 */
public record SegmentLimits(int gsmSingle, int gsmPart, int ucs2Single, int ucs2Part) {

    /** The GSM 03.40 figures with the 6-octet (8-bit reference) concatenation header: 160/153, 70/67. */
    public static final SegmentLimits STANDARD = new SegmentLimits(160, 153, 70, 67);

    /**
     * The 7-octet (16-bit reference) header, as reported for US/Canada toll-free senders: 160/152, 70/66.
     */
    public static final SegmentLimits SIXTEEN_BIT_REFERENCE = new SegmentLimits(160, 152, 70, 66);

    public SegmentLimits {
        // a part must hold an escape pair and a surrogate pair, or splitting could not make progress
        if (gsmPart < 2 || gsmSingle < gsmPart || ucs2Part < 2 || ucs2Single < ucs2Part) {
            throw new IllegalArgumentException("segment limits must satisfy single >= part >= 2");
        }
    }
}
