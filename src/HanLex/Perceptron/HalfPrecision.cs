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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits)
    {
        uint magnitude = bits & 0x7FFFu;
        uint value = magnitude == 0 ? 0 : (magnitude << 13) + ((127 - 15) << 23);
        return BitConverter.UInt32BitsToSingle(value | (uint)(bits & 0x8000) << 16);
    }

    /// <summary>Eight weights from <paramref name="table"/> at <paramref name="offset"/> as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(ref ushort table, nuint offset)
    {
        var halves = Vector128.LoadUnsafe(ref table, offset);
        var bits = Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(halves)
            : Vector256.Create(Vector128.WidenLower(halves), Vector128.WidenUpper(halves)).AsInt32();
        var magnitude = bits & Vector256.Create(0x7FFF);
        var value = (magnitude << 13) + Vector256.Create((127 - 15) << 23);
        value = Vector256.AndNot(value, Vector256.Equals(magnitude, Vector256<int>.Zero)) | ((bits & Vector256.Create(0x8000)) << 16);
        return value.AsSingle();
    }
}
