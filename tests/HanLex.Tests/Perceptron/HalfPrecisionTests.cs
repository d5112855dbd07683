using System.Runtime.Intrinsics;
using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

/// <summary>Weights kept in half precision: every half a model can hold reads back exactly, one at a time or eight.</summary>
public class HalfPrecisionTests
{
    private static readonly ushort[] Kept = Enumerable.Range(0, 65536).Select(b => (ushort)b)
        .Where(b => Half.IsNormal(BitConverter.UInt16BitsToHalf(b)) || (b & 0x7FFF) == 0).ToArray();

    [Fact]
    public void Every_normal_half_and_zero_reads_back_exactly()
    {
        var table = new ushort[Kept.Length + 8];
        Kept.CopyTo(table, 0);
        for (int i = 0; i < Kept.Length; i += 8)
        {
            var eight = HalfPrecision.Load8(ref table[0], (nuint)i);
            for (int k = 0; k < 8 && i + k < Kept.Length; k++)
            {
                float expected = (float)BitConverter.UInt16BitsToHalf(Kept[i + k]);
                Assert.Equal(expected, HalfPrecision.ToSingle(Kept[i + k]));
                Assert.Equal(expected, eight.GetElement(k));
                Assert.Equal(expected, HalfPrecision.ToSingle(HalfPrecision.Round(expected)));
            }
        }
    }

    [Fact]
    public void A_half_in_the_high_bits_reads_back_whatever_the_low_bits_hold()
    {
        // The joint kernel packs a label in the low 16 bits; every label value must leave the weight as it is.
        foreach (ushort bits in Kept)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf(bits);
            foreach (uint low in new uint[] { 0, 1, 65, 0x1FFF, 0x2000, 0x8000, 0xFFFF })
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(HalfPrecision.HighToSingle((uint)bits << 16 | low)));
        }
    }

    [Fact]
    public void Adding_eight_in_one_fused_step_gives_the_same_sums_bit_for_bit()
    {
        // Sums of every size a score reaches, against every half a model can hold: the fused product must be exact.
        var random = new Random(5);
        var table = new ushort[Kept.Length + 8];
        Kept.CopyTo(table, 0);
        for (int i = 0; i < Kept.Length; i += 8)
        {
            var sum = Vector256.Create(Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6)))).ToArray());
            var fused = HalfPrecision.AddLoad8(sum, ref table[0], (nuint)i);
            var plain = sum + HalfPrecision.Load8(ref table[0], (nuint)i);
            for (int k = 0; k < 8; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(plain.GetElement(k)), BitConverter.SingleToInt32Bits(fused.GetElement(k)));
        }
    }

    [Fact]
    public void Subnormals_become_zero_and_infinities_the_largest_half()
    {
        Assert.Equal(0f, HalfPrecision.ToSingle(HalfPrecision.Round(1e-6f)));
        Assert.Equal(0f, Math.Abs(HalfPrecision.ToSingle(HalfPrecision.Round(-3e-5f))));
        Assert.Equal(65504f, HalfPrecision.ToSingle(HalfPrecision.Round(1e6f)));
        Assert.Equal(-65504f, HalfPrecision.ToSingle(HalfPrecision.Round(float.NegativeInfinity)));
        Assert.Equal(65504f, HalfPrecision.ToSingle(HalfPrecision.Sanitize(BitConverter.HalfToUInt16Bits(Half.PositiveInfinity))));
        Assert.Equal((ushort)0, HalfPrecision.Sanitize(0x0001)); // the smallest subnormal
        Assert.Equal((float)(Half)0.1f, HalfPrecision.ToSingle(HalfPrecision.Round(0.1f)));
    }

    [Fact]
    public void A_model_keeps_its_weights_in_half_precision()
    {
        var labels = new LabelSet(["a", "b"]);
        var model = new LinearModel(labels, [7], [0, 2], [0, 1], [0.1f, 1e-7f], new float[6]);
        var scores = new float[2];
        model.AddScores([7UL], scores);
        Assert.Equal([(float)(Half)0.1f, 0f], scores);
    }
}
