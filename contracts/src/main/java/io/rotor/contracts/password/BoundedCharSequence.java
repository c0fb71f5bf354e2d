package io.rotor.contracts.password;

/**
 * A candidate password as {@link java.util.regex.Matcher} input that stops the match after a number of reads. A
 * policy's pattern comes from whoever wrote the ManagedCredential; Java's regex engine backtracks, and a pattern such
 * as {@code (a+)+b} takes exponential time. Counting reads bounds the work whatever the pattern.
 */
final class BoundedCharSequence implements CharSequence {

    /** Thrown when the read budget is spent; unchecked so it passes through the matcher. */
    static final class TooManySteps extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManySteps() {
            super("pattern evaluation exceeded its step budget", null, false, false);
        }
    }

    private final String text;
    private final int[] stepsLeft;

    BoundedCharSequence(String text, int maxSteps) {
        this(text, new int[] {maxSteps});
    }

    // subSequence shares the budget with its parent: the matcher may read through either.
    private BoundedCharSequence(String text, int[] stepsLeft) {
        this.text = text;
        this.stepsLeft = stepsLeft;
    }

    @Override
    public char charAt(int index) {
        if (--stepsLeft[0] < 0) {
            throw new TooManySteps();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedCharSequence(text.substring(start, end), stepsLeft);
    }

    /** Never the password: this wraps a secret. */
    @Override
    public String toString() {
        return "[candidate]";
    }
}
