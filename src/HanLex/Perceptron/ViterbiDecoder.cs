using System.Buffers;

namespace HanLex.Perceptron;

/// <summary>
/// First-order Viterbi decoding over emission scores (positions × labels) and a model's transitions, honouring the
/// label grammar and optional per-position constraints. Scratch comes from the array pool: no per-call garbage.
/// </summary>
public static class ViterbiDecoder
{
    /// <param name="emissions">n × L scores, row-major.</param>
    /// <param name="allowed">Optional n bitmasks of allowed labels (labels 0..63); 0 or an empty span means no constraint.</param>
    /// <param name="forced">Optional n labels that must be chosen; -1 means free.</param>
    public static void Decode(LinearModel model, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default) =>
        Decode(model.Labels, model.Transitions, emissions, n, output, allowed, forced);

    public static void Decode(LabelSet labels, float[] trans, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default)
    {
        if (n == 0) return;
        int L = labels.Count;
        var grammar = labels.Allowed;
        float[] score = ArrayPool<float>.Shared.Rent(2 * L);
        int[] back = ArrayPool<int>.Shared.Rent(n * L);
        try
        {
            Span<float> prev = score.AsSpan(0, L), cur = score.AsSpan(L, L);
            for (int y = 0; y < L; y++)
                prev[y] = Permitted(labels.AllowedFirst[y], y, 0, allowed, forced, n, labels.AllowedLast)
                    ? emissions[y] + trans[L * L + y] : float.NegativeInfinity;
            for (int i = 1; i < n; i++)
            {
                int row = i * L;
                for (int y = 0; y < L; y++)
                {
                    if (!Permitted(true, y, i, allowed, forced, n, labels.AllowedLast))
                    {
                        cur[y] = float.NegativeInfinity;
                        back[row + y] = 0;
                        continue;
                    }
                    float best = float.NegativeInfinity;
                    int arg = 0;
                    for (int p = 0; p < L; p++)
                    {
                        if (!grammar[p, y]) continue;
                        float s = prev[p] + trans[p * L + y];
                        if (s > best) { best = s; arg = p; }
                    }
                    cur[y] = best + emissions[row + y];
                    back[row + y] = arg;
                }
                var t = prev; prev = cur; cur = t;
            }
            float top = float.NegativeInfinity;
            int last = 0;
            for (int y = 0; y < L; y++)
                if (prev[y] > top) { top = prev[y]; last = y; }
            if (float.IsNegativeInfinity(top)) last = Fallback(forced, n);
            output[n - 1] = last;
            for (int i = n - 1; i > 0; i--) output[i - 1] = back[i * L + output[i]];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(score);
            ArrayPool<int>.Shared.Return(back);
        }
    }

    private static bool Permitted(bool grammarOk, int y, int i, ReadOnlySpan<ulong> allowed, ReadOnlySpan<int> forced, int n, bool[] allowedLast)
    {
        if (!grammarOk) return false;
        if (i == n - 1 && !allowedLast[y]) return false;
        if (!forced.IsEmpty && forced[i] >= 0 && forced[i] != y) return false;
        if (!allowed.IsEmpty && allowed[i] != 0 && (y >= 64 || (allowed[i] & (1UL << y)) == 0)) return false;
        return true;
    }

    // Constraints that contradict the grammar leave no path; fall back to the forced or first label.
    private static int Fallback(ReadOnlySpan<int> forced, int n) =>
        !forced.IsEmpty && forced[n - 1] >= 0 ? forced[n - 1] : 0;
}
