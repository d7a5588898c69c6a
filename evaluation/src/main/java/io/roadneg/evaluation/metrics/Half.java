package io.roadneg.evaluation.metrics;

/**
 * IEEE 754 binary16 conversions (Java 17 has no {@code Float.float16ToFloat}). Both directions are exact where the
 * value is representable; float to half rounds to nearest, ties to even, as numpy's {@code astype(float16)} does.
 */
public final class Half {
    private Half() {
    }

    /** The float value of half-precision bits. */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal: mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * Half-precision bits of {@code d}, correctly rounded (nearest, ties to even) straight from the double, as numpy's
     * {@code npy_double_to_half} does for {@code float64 -> float16} casts (a detour through float could round twice).
     */
    public static short fromDouble(double d) {
        if (Double.isNaN(d)) {
            return (short) 0x7e00;
        }
        double a = Math.abs(d);
        int sign = (Double.doubleToRawLongBits(d) < 0) ? 0x8000 : 0;
        // the quantum of the half binade holding |d| (subnormal halves have the fixed quantum 2^-24)
        int e = a == 0 ? -25 : Math.getExponent(a);
        double quantum = Math.scalb(1.0, Math.max(e, -14) - 10);
        double r = Math.rint(a / quantum) * quantum; // exact scaling by a power of two; rint rounds ties to even
        if (r >= 65520.0 || Double.isInfinite(a)) {
            return (short) (sign | 0x7c00);
        }
        return (short) (sign | (fromFloat((float) r) & 0x7fff)); // r is a half value: the float cast is exact
    }

    /** Whether half bits hold a finite value. */
    public static boolean isFinite(short bits) {
        return (bits & 0x7c00) != 0x7c00;
    }

    /** {@code fromFloat(toFloat(a) - toFloat(b))}: numpy's float16 subtraction (float32 arithmetic, then rounding). */
    public static short subtract(short a, short b) {
        return fromFloat(toFloat(a) - toFloat(b));
    }

    /** numpy's float16 addition. */
    public static short add(short a, short b) {
        return fromFloat(toFloat(a) + toFloat(b));
    }

    /** numpy's float16 multiplication. */
    public static short multiply(short a, short b) {
        return fromFloat(toFloat(a) * toFloat(b));
    }

    /** Half-precision bits of {@code f}, rounded to nearest even; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // subnormal half: shift the mantissa (with its hidden bit) into place, round to nearest even
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is still the correctly rounded value (up to infinity)
        }
        return (short) (sign | half);
    }
}
