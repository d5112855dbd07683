using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HanLex.Perceptron;

/// <summary>
/// Weights in half precision, the precision model files keep: rows take half the memory, and scoring, which waits on
/// memory more than it computes, reads them faster. Only normal numbers and zeros are kept (subnormals, below 6.1e-5,
/// become 0; magnitudes beyond 65504 are clamped), so converting back is moving bits, exact and cheap.
/// </summary>
internal static class HalfPrecision
{
    private const ushort MaxFinite = 0x7BFF;

    /// <summary>The nearest half-precision weight.</summary>
    public static ushort Round(float weight) => Sanitize(BitConverter.HalfToUInt16Bits((Half)weight));

    /// <summary>Half-precision bits as stored: subnormals to zero, infinities and NaN to the largest finite magnitude.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Sanitize(ushort bits) => (bits & 0x7C00) switch
    {
        0 => 0,
        0x7C00 => (ushort)(bits & 0x8000 | MaxFinite),
        _ => bits,
    };

    // Converting back moves a half's sign, exponent and mantissa to a single's places. The exponent then reads 2^112
    // too small (the biases are 15 and 127), which one multiplication puts right, exactly; a zero stays zero. Four
    // instructions for eight weights, where testing for zero first took nine: 4–8% of segmentation and analysis.
    private const int SignAndMagnitude = unchecked((int)0x8FFFE000);
    private const float Rebias = 5.192296858534828e33f; // 2^112

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => BitConverter.Int32BitsToSingle((short)bits << 13 & SignAndMagnitude) * Rebias;

    /// <summary>The half in the high 16 bits of <paramref name="packed"/> (whatever the low ones hold), as
    /// <see cref="ToSingle"/> gives it: one arithmetic shift puts its bits in a single's places.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HighToSingle(uint packed) => BitConverter.Int32BitsToSingle((int)packed >> 3 & SignAndMagnitude) * Rebias;

    /// <summary>
    /// Adds <paramref name="count"/> sparse weights to <paramref name="scores"/>, unchecked: each a 32-bit word of a
    /// half's bits over a label (<see cref="HighToSingle"/>), as the joint kernel packs them and as a
    /// <see cref="LinearModel.Entry"/> reads on a little-endian machine. Weights converted four at a time
    /// (analysis 1.5% fewer instructions than 11 a weight one by one, docs/performance.md, "Session 31").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddPacked(ref float scores, ref uint packed, nuint count)
    {
        nuint k = 0;
        if (Vector128.IsHardwareAccelerated)
            // Four weights converted at once, then added one after another at their labels, in order.
            for (; k + 4 <= count; k += 4)
            {
                var weights = ((Vector128.LoadUnsafe(ref packed, k).AsInt32() >> 3) & Vector128.Create(SignAndMagnitude)).AsSingle()
                    * Vector128.Create(Rebias);
                Unsafe.Add(ref scores, (nuint)(ushort)Unsafe.Add(ref packed, k)) += weights.ToScalar();
                Unsafe.Add(ref scores, (nuint)(ushort)Unsafe.Add(ref packed, k + 1)) += weights.GetElement(1);
                Unsafe.Add(ref scores, (nuint)(ushort)Unsafe.Add(ref packed, k + 2)) += weights.GetElement(2);
                Unsafe.Add(ref scores, (nuint)(ushort)Unsafe.Add(ref packed, k + 3)) += weights.GetElement(3);
            }
        for (; k < count; k++)
        {
            uint e = Unsafe.Add(ref packed, k);
            Unsafe.Add(ref scores, (nuint)(ushort)e) += HighToSingle(e);
        }
    }

    /// <summary>Eight weights from <paramref name="table"/> at <paramref name="offset"/> as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(ref ushort table, nuint offset) => Unscaled8(ref table, offset) * Vector256.Create(Rebias);

    /// <summary><paramref name="sum"/> plus <see cref="Load8"/>'s eight weights: the multiplication folded into a fused
    /// multiply-add, whose product by a power of two is exact, so the same sum as adding <see cref="Load8"/>'s, with one
    /// instruction less (accurate segmentation 1–3% faster; scalar weights gained nothing so).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AddLoad8(Vector256<float> sum, ref ushort table, nuint offset) =>
        Fma.IsSupported ? Fma.MultiplyAdd(Unscaled8(ref table, offset), Vector256.Create(Rebias), sum) : sum + Load8(ref table, offset);

    /// <summary>Eight weights' bits in a single's places, each 2^112 too small.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Unscaled8(ref ushort table, nuint offset)
    {
        var halves = Vector128.LoadUnsafe(ref table, offset).AsInt16();
        var bits = Avx2.IsSupported // sign-extended, so that the sign lands in bit 31
            ? Avx2.ConvertToVector256Int32(halves)
            : Vector256.Create(Vector128.WidenLower(halves), Vector128.WidenUpper(halves));
        return ((bits << 13) & Vector256.Create(SignAndMagnitude)).AsSingle();
    }
}
