package io.groupwire.core.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmsEncoderTest {
    private static final String GSM_BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";
    private static final String EMOJI = "\uD83D\uDE00"; // 😀, a surrogate pair

    private final SmsEncoder encoder = SmsEncoder.standard();

    /** Splits and checks the invariants every split must keep, then returns it. */
    private SmsSegments split(String text) {
        SmsSegments s = encoder.split(text);
        assertEquals(text, String.join("", s.texts()), "parts concatenate to the text");
        assertEquals(s.count(), encoder.segments(text), "segments() agrees with split()");
        assertEquals(s.encoding(), encoder.encodingOf(text));
        for (String part : s.texts()) {
            if (s.count() > 1) {
                assertTrue(units(part, s.encoding()) <= (s.encoding() == SmsEncoding.GSM_7 ? 153 : 67),
                        "part within the concatenated limit: " + units(part, s.encoding()));
                assertFalse(part.isEmpty(), "no empty part in a multipart message");
            }
        }
        int boundary = 0;
        for (int i = 0; i < s.count() - 1; i++) {
            boundary += s.texts().get(i).length();
            assertFalse(Character.isHighSurrogate(text.charAt(boundary - 1)) && Character.isLowSurrogate(text.charAt(boundary)),
                    "no boundary inside a surrogate pair, at " + boundary);
        }
        return s;
    }

    private static int units(String part, SmsEncoding encoding) {
        if (encoding == SmsEncoding.UCS_2) {
            return part.length();
        }
        int septets = 0;
        for (char c : part.toCharArray()) {
            septets += Gsm7Alphabet.septets(c);
        }
        return septets;
    }

    private static String a(int n) {
        return "a".repeat(n);
    }

    @Test
    void emptyTextIsOneEmptyGsmSegment() {
        SmsSegments s = split("");
        assertEquals(SmsEncoding.GSM_7, s.encoding());
        assertEquals(1, s.count());
        assertEquals(List.of(""), s.texts());
        assertEquals(0, s.length());
    }

    @Test
    void everyCharacterOfTheGsmAlphabetStaysGsm7() {
        for (char c : (GSM_BASIC + GSM_EXTENSION).toCharArray()) {
            assertEquals(SmsEncoding.GSM_7, encoder.encodingOf(String.valueOf(c)), "U+" + Integer.toHexString(c));
        }
        assertEquals(127, GSM_BASIC.length(), "128 positions minus ESC");
        SmsSegments s = split(GSM_BASIC);
        assertEquals(SmsEncoding.GSM_7, s.encoding());
        assertEquals(127, s.length());
        assertEquals(1, s.count());
        assertEquals(20, split(GSM_EXTENSION).length(), "each extension character costs two septets");
    }

    @Test
    void oneNonGsmCharacterForcesUcs2ForTheWholeText() {
        for (String c : List.of("ç", "’", "ж", "`", "\t", "\u001B", "€€ж", EMOJI, "\uD83D", "中")) {
            assertEquals(SmsEncoding.UCS_2, encoder.encodingOf(a(100) + c), c);
        }
        SmsSegments s = split(a(100) + "’");
        assertEquals(SmsEncoding.UCS_2, s.encoding());
        assertEquals(101, s.length());
        assertEquals(2, s.count(), "101 UTF-16 units are two UCS-2 segments, not one GSM-7 one");
    }

    @Test
    void gsm7SingleSegmentHolds160Septets() {
        assertEquals(List.of(a(160)), split(a(160)).texts());
        SmsSegments over = split(a(161));
        assertEquals(List.of(a(153), a(8)), over.texts());
        assertEquals(161, over.length());
    }

    @Test
    void gsm7ConcatenatedPartsHold153Septets() {
        assertEquals(List.of(a(153), a(153)), split(a(306)).texts());
        assertEquals(List.of(a(153), a(153), a(1)), split(a(307)).texts());
        assertEquals(10, split(a(1530)).count());
        assertEquals(11, split(a(1531)).count());
    }

    @Test
    void extensionCharactersCountTwoSeptetsAtTheSingleSegmentLimit() {
        assertEquals(1, split(a(158) + "€").count(), "158 + 2 = 160 septets");
        assertEquals(2, split(a(159) + "€").count(), "159 + 2 = 161 septets");
        assertEquals(1, split("{}".repeat(40)).count(), "80 characters, 160 septets");
        assertEquals(2, split("{}".repeat(40) + "a").count());
    }

    @Test
    void anEscapePairIsNeverSplitAcrossParts() {
        // 152 septets + '[' (2) would be 154 > 153: the whole pair moves to the second part
        SmsSegments s = split(a(152) + "[" + a(20));
        assertEquals(List.of(a(152), "[" + a(20)), s.texts());
        // 151 + 2 = 153 fits exactly
        assertEquals(List.of(a(151) + "[", a(20)), split(a(151) + "[" + a(20)).texts());
        // the second boundary too
        SmsSegments three = split(a(153) + a(152) + "~" + a(5));
        assertEquals(List.of(a(153), a(152), "~" + a(5)), three.texts());
    }

    @Test
    void escapePairsAtBoundariesCanAddASegment() {
        // 153 extension characters = 306 septets would be two full parts, but a pair cannot be split
        // and 153 is odd, so each part holds 76 pairs (152 septets): 3 parts
        String text = "|".repeat(153);
        assertEquals(3, split(text).count());
        assertEquals(List.of("|".repeat(76), "|".repeat(76), "|"), split(text).texts());
    }

    @Test
    void ucs2SingleSegmentHolds70UnitsAndPartsHold67() {
        String ж = "ж";
        assertEquals(1, split(ж.repeat(70)).count());
        assertEquals(List.of(ж.repeat(67), ж.repeat(4)), split(ж.repeat(71)).texts());
        assertEquals(List.of(ж.repeat(67), ж.repeat(67)), split(ж.repeat(134)).texts());
        assertEquals(3, split(ж.repeat(135)).count());
    }

    @Test
    void anEmojiCountsTwoUnitsAndIsNeverSplit() {
        assertEquals(1, split(a(68) + EMOJI).count(), "68 + 2 = 70 units");
        assertEquals(2, split(a(69) + EMOJI).count(), "69 + 2 = 71 units");
        // 66 + 2 = 68 > 67: the pair moves to the next part whole
        SmsSegments s = split(a(66) + EMOJI + a(10));
        assertEquals(List.of(a(66), EMOJI + a(10)), s.texts());
        assertEquals(78, s.length());
        // 65 + 2 = 67 fits exactly
        assertEquals(List.of(a(65) + EMOJI, a(11)), split(a(65) + EMOJI + a(11)).texts());
    }

    @Test
    void emojiOnlyTextsSplitOnPairBoundaries() {
        assertEquals(1, split(EMOJI.repeat(35)).count());
        SmsSegments s = split(EMOJI.repeat(36));
        assertEquals(List.of(EMOJI.repeat(33), EMOJI.repeat(3)), s.texts(), "33 pairs = 66 units per part");
    }

    @Test
    void aLoneSurrogateIsOneUnitOfUcs2() {
        SmsSegments s = split(a(69) + "\uD83D");
        assertEquals(SmsEncoding.UCS_2, s.encoding());
        assertEquals(1, s.count());
        assertEquals(2, split(a(67) + "\uDE00" + a(3)).count());
    }

    @Test
    void sixteenBitReferenceLimitsLeave152And66() {
        SmsEncoder tollFree = new SmsEncoder(SegmentLimits.SIXTEEN_BIT_REFERENCE);
        assertEquals(List.of(a(152), a(9)), tollFree.split(a(161)).texts());
        assertEquals(1, tollFree.segments(a(160)));
        assertEquals(List.of("ж".repeat(66), "ж".repeat(5)), tollFree.split("ж".repeat(71)).texts());
        assertEquals(2, tollFree.segments("ж".repeat(71)));
    }

    @Test
    void limitsThatCannotMakeProgressAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(160, 1, 70, 67));
        assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(100, 153, 70, 67));
        assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(160, 153, 70, 1));
    }

    @Test
    void randomTextsKeepEveryInvariant() {
        Random random = new Random(20260403);
        String pool = GSM_BASIC + GSM_EXTENSION;
        for (int round = 0; round < 3000; round++) {
            int len = random.nextInt(700);
            StringBuilder sb = new StringBuilder(len + 2);
            boolean unicode = random.nextInt(3) == 0;
            for (int i = 0; i < len; i++) {
                int pick = random.nextInt(100);
                if (unicode && pick < 5) {
                    sb.append(EMOJI);
                } else if (unicode && pick < 8) {
                    sb.append('ж');
                } else {
                    sb.append(pool.charAt(random.nextInt(pool.length())));
                }
            }
            String text = sb.toString();
            SmsSegments s = split(text);
            assertEquals(referenceCount(text), s.count(), text);
        }
    }

    /** An independent count: septets or units, with pairs moved whole, by building the parts. */
    private static int referenceCount(String text) {
        boolean gsm = text.chars().allMatch(c -> Gsm7Alphabet.contains((char) c));
        int[] widths = gsm ? text.chars().map(c -> Gsm7Alphabet.septets((char) c)).toArray()
                : text.codePoints().map(Character::charCount).toArray();
        int total = java.util.Arrays.stream(widths).sum();
        if (total <= (gsm ? 160 : 70)) {
            return 1;
        }
        int limit = gsm ? 153 : 67;
        int parts = 1;
        int fill = 0;
        for (int w : widths) {
            if (fill + w > limit) {
                parts++;
                fill = 0;
            }
            fill += w;
        }
        return parts;
    }
}
