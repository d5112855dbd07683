using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HanLex.Perceptron;

/// <summary>
/// First-order Viterbi decoding over emission scores (positions × labels) and transitions in which the label
/// grammar is folded as −∞, honouring optional per-position constraints. Scratch comes from the array pool.
/// </summary>
public static class ViterbiDecoder
{
    /// <param name="emissions">n × L scores, row-major.</param>
    /// <param name="allowed">Optional n bitmasks of allowed labels (labels 0..63); 0 or an empty span means no constraint.</param>
    /// <param name="forced">Optional n labels that must be chosen; -1 means free.</param>
    public static void Decode(LinearModel model, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default) =>
        Decode(model.Labels, model.EffectiveTransitions, emissions, n, output, allowed, forced);

    /// <param name="trans">(L + 1) × L transitions, −∞ where the grammar forbids; row L is the sentence start.</param>
    public static void Decode(LabelSet labels, float[] trans, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default)
    {
        if (n == 0) return;
        int L = labels.Count;
        float[] buffer = ArrayPool<float>.Shared.Rent(3 * L);
        int[] back = ArrayPool<int>.Shared.Rent(n * L);
        try
        {
            Span<float> prev = buffer.AsSpan(0, L), cur = buffer.AsSpan(L, L), emit = buffer.AsSpan(2 * L, L);
            var start = trans.AsSpan(L * L, L);
            Constrain(emissions[..L], emit, 0, n, allowed, forced, labels.AllowedLast);
            for (int y = 0; y < L; y++) prev[y] = emit[y] + start[y];
            for (int i = 1; i < n; i++)
            {
                int row = i * L;
                Constrain(emissions.Slice(row, L), emit, i, n, allowed, forced, labels.AllowedLast);
                var backRow = back.AsSpan(row, L);
                if (L >= Vector<float>.Count)
                {
                    Step(prev, cur, emit, trans, backRow, L);
                    var swap = prev; prev = cur; cur = swap;
                    continue;
                }
                for (int y = 0; y < L; y++)
                {
                    float best = float.NegativeInfinity;
                    int arg = 0;
                    if (!float.IsNegativeInfinity(emit[y]))
                    {
                        for (int p = 0; p < L; p++)
                        {
                            float s = prev[p] + trans[p * L + y];
                            if (s > best) { best = s; arg = p; }
                        }
                    }
                    cur[y] = best + emit[y];
                    backRow[y] = arg;
                }
                var t = prev; prev = cur; cur = t;
            }
            float top = float.NegativeInfinity;
            int last = !forced.IsEmpty && forced[n - 1] >= 0 ? forced[n - 1] : 0; // when constraints leave no path
            for (int y = 0; y < L; y++)
                if (prev[y] > top) { top = prev[y]; last = y; }
            output[n - 1] = last;
            for (int i = n - 1; i > 0; i--) output[i - 1] = back[i * L + output[i]];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(back);
        }
    }

    /// <summary>
    /// One Viterbi step for large label sets (part-of-speech tags), vectorized over the next label: for each previous
    /// label p, the scores of every next label are updated at once, keeping the best score and its argmax.
    /// </summary>
    private static void Step(Span<float> prev, Span<float> cur, ReadOnlySpan<float> emit, float[] trans, Span<int> backRow, int L)
    {
        int W = Vector<float>.Count;
        cur.Fill(float.NegativeInfinity);
        backRow.Clear();
        int vectorEnd = L - L % W;
        // Refs and unchecked loads: this loop runs L × L / W times per word, and span slicing per vector cost more
        // than the arithmetic. Every index stays below L: the vector loop stops at vectorEnd.
        ref float curRef = ref MemoryMarshal.GetReference(cur);
        ref int backRef = ref MemoryMarshal.GetReference(backRow);
        ref float transRef = ref MemoryMarshal.GetArrayDataReference(trans);
        if (trans.Length < L * L) throw new ArgumentException("transitions shorter than L × L", nameof(trans));
        for (int p = 0; p < L; p++)
        {
            float from = prev[p];
            if (float.IsNegativeInfinity(from)) continue;
            var fromV = new Vector<float>(from);
            var pV = new Vector<int>(p);
            ref float row = ref Unsafe.Add(ref transRef, p * L);
            int y = 0;
            for (; y < vectorEnd; y += W)
            {
                var s = fromV + Vector.LoadUnsafe(ref row, (nuint)y);
                var best = Vector.LoadUnsafe(ref curRef, (nuint)y);
                var better = Vector.GreaterThan(s, best);
                Vector.ConditionalSelect(better, s, best).StoreUnsafe(ref curRef, (nuint)y);
                Vector.ConditionalSelect(better, pV, Vector.LoadUnsafe(ref backRef, (nuint)y)).StoreUnsafe(ref backRef, (nuint)y);
            }
            for (; y < L; y++)
            {
                float s = from + Unsafe.Add(ref row, y);
                if (s > cur[y]) { cur[y] = s; backRow[y] = p; }
            }
        }
        for (int y = 0; y < L; y++) cur[y] += emit[y];
    }

    /// <summary>Copies one position's emissions, with −∞ for labels the constraints or the sentence end rule out.</summary>
    private static void Constrain(ReadOnlySpan<float> source, Span<float> target, int i, int n, ReadOnlySpan<ulong> allowed,
        ReadOnlySpan<int> forced, bool[] allowedLast)
    {
        source.CopyTo(target);
        if (i == n - 1)
            for (int y = 0; y < target.Length; y++) if (!allowedLast[y]) target[y] = float.NegativeInfinity;
        if (!allowed.IsEmpty && allowed[i] != 0)
            for (int y = 0; y < target.Length; y++) if (y >= 64 || (allowed[i] & (1UL << y)) == 0) target[y] = float.NegativeInfinity;
        if (!forced.IsEmpty && forced[i] >= 0)
            for (int y = 0; y < target.Length; y++) if (y != forced[i]) target[y] = float.NegativeInfinity;
    }
}
