using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HanLex.Tagging;

/// <summary>
/// Viterbi decoding over joint segmentation labels (<see cref="WordLabels.Joint"/>) that follows their grammar instead
/// of trying every pair of labels: inside a word each label has one to four predecessors of its own class, and only a
/// word's first label (B or S of any class) looks at every word end (E or S of any class). For K classes that is about
/// 4K² + 10K additions a character instead of 36K², and the word-start maxima run a vector of starts at a time.
/// Holds the transitions in that layout; <see cref="Load"/> refills them, so a trainer reuses one instance.
/// </summary>
internal sealed class JointDecoder
{
    private const int P = WordLabels.Positions;
    private const ulong AnyPosition = (1UL << P) - 1;
    private readonly int K, L, _startLanes;
    private readonly float[] _endToStart;  // [end × starts padded]: end e = 2c (E) or 2c + 1 (S); start s = 2c (B) or 2c + 1 (S)
    private readonly float[] _inner;       // per class: B→B2, B2→B3, B3→M, M→M, B→E, B2→E, B3→E, M→E
    private readonly float[] _first;       // from the sentence start, per label

    public JointDecoder(int classes)
    {
        K = classes;
        L = K * P;
        int v = Vector<float>.Count;
        _startLanes = (2 * K + v - 1) / v * v;
        _endToStart = new float[2 * K * _startLanes];
        _inner = new float[8 * K];
        _first = new float[L];
    }

    public JointDecoder(int classes, float[] transitions) : this(classes) => Load(transitions);

    private static int EndLabel(int e) => e / 2 * P + (e % 2 == 0 ? WordLabels.E : WordLabels.S);
    private static int StartLabel(int s) => s / 2 * P + (s % 2 == 0 ? WordLabels.B : WordLabels.S);

    /// <summary>Takes <paramref name="transitions"/> ((L + 1) × L, the grammar folded in as −∞) into this layout.</summary>
    public void Load(float[] transitions)
    {
        _endToStart.AsSpan().Fill(float.NegativeInfinity);
        for (int e = 0; e < 2 * K; e++)
            for (int s = 0; s < 2 * K; s++)
                _endToStart[e * _startLanes + s] = transitions[EndLabel(e) * L + StartLabel(s)];
        for (int c = 0; c < K; c++)
        {
            int b = c * P;
            var t = _inner.AsSpan(8 * c, 8);
            t[0] = transitions[(b + WordLabels.B) * L + b + WordLabels.B2];
            t[1] = transitions[(b + WordLabels.B2) * L + b + WordLabels.B3];
            t[2] = transitions[(b + WordLabels.B3) * L + b + WordLabels.M];
            t[3] = transitions[(b + WordLabels.M) * L + b + WordLabels.M];
            t[4] = transitions[(b + WordLabels.B) * L + b + WordLabels.E];
            t[5] = transitions[(b + WordLabels.B2) * L + b + WordLabels.E];
            t[6] = transitions[(b + WordLabels.B3) * L + b + WordLabels.E];
            t[7] = transitions[(b + WordLabels.M) * L + b + WordLabels.E];
        }
        transitions.AsSpan(L * L, L).CopyTo(_first);
    }

    /// <summary>
    /// Decodes <paramref name="n"/> positions of <paramref name="scores"/> (n × L emissions, overwritten with the best
    /// path scores) into joint labels. <paramref name="allowed"/> may hold a bitmask of allowed positions
    /// (<see cref="WordLabels"/>) per character, for every class alike; 0 or an empty span leaves a character free.
    /// <paramref name="transitions"/> must be those last loaded. Ties go to the lowest label, as in <c>ViterbiDecoder</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Decode(float[] transitions, Span<float> scores, int n, Span<int> output, ReadOnlySpan<ulong> allowed)
    {
        if (n == 0) return;
        Span<float> ends = stackalloc float[2 * K];
        Span<float> best = stackalloc float[_startLanes];
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * L, L);
            ulong mask = allowed.IsEmpty || allowed[i] == 0 ? AnyPosition : allowed[i];
            if (i == n - 1) mask &= 1UL << WordLabels.E | 1UL << WordLabels.S;
            if (mask != AnyPosition)
                for (int y = 0; y < L; y++)
                    if ((mask & (1UL << (y % P))) == 0) row[y] = float.NegativeInfinity;
            if (i == 0)
            {
                for (int y = 0; y < L; y++) row[y] += _first[y];
                continue;
            }
            var prev = scores.Slice((i - 1) * L, L);
            for (int c = 0; c < K; c++)
            {
                ends[2 * c] = prev[c * P + WordLabels.E];
                ends[2 * c + 1] = prev[c * P + WordLabels.S];
            }
            StartMaxima(ends, best);
            for (int c = 0; c < K; c++)
            {
                int b = c * P;
                ref float t = ref _inner[8 * c];
                float pb = prev[b + WordLabels.B], pb2 = prev[b + WordLabels.B2], pb3 = prev[b + WordLabels.B3], pm = prev[b + WordLabels.M];
                row[b + WordLabels.B] += best[2 * c];
                row[b + WordLabels.S] += best[2 * c + 1];
                row[b + WordLabels.B2] += pb + t;
                row[b + WordLabels.B3] += pb2 + Unsafe.Add(ref t, 1);
                row[b + WordLabels.M] += Max(pb3 + Unsafe.Add(ref t, 2), pm + Unsafe.Add(ref t, 3));
                row[b + WordLabels.E] += Max(Max(pb + Unsafe.Add(ref t, 4), pb2 + Unsafe.Add(ref t, 5)),
                    Max(pb3 + Unsafe.Add(ref t, 6), pm + Unsafe.Add(ref t, 7)));
            }
        }
        Backtrack(transitions, scores, n, output);
    }

    /// <summary>The larger of two scores, neither of them NaN: one instruction, where <see cref="MathF.Max"/> also orders −0 and NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(float a, float b) => a > b ? a : b;

    /// <summary>For every word start at once, its best score over all word ends before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StartMaxima(ReadOnlySpan<float> ends, Span<float> best)
    {
        int v = Vector<float>.Count;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_endToStart);
        ref float result = ref MemoryMarshal.GetReference(best);
        for (int j = 0; j < _startLanes; j += v)
        {
            var acc = new Vector<float>(float.NegativeInfinity);
            for (int e = 0; e < ends.Length; e++)
                acc = Vector.MaxNative(acc, new Vector<float>(ends[e]) + Vector.LoadUnsafe(ref table, (nuint)(e * _startLanes + j)));
            acc.StoreUnsafe(ref result, (nuint)j);
        }
    }

    /// <summary>The best path back from the best last label: each predecessor found again among the few the grammar allows.</summary>
    private void Backtrack(float[] transitions, ReadOnlySpan<float> scores, int n, Span<int> output)
    {
        var last = scores.Slice((n - 1) * L, L);
        int y = 0;
        float top = float.NegativeInfinity;
        for (int l = 0; l < L; l++)
            if (last[l] > top) { top = last[l]; y = l; }
        if (float.IsNegativeInfinity(top)) y = WordLabels.S; // constraints left no path: any grammatical one will do
        output[n - 1] = y;
        for (int i = n - 1; i > 0; i--)
        {
            var prev = scores.Slice((i - 1) * L, L);
            int position = y % P, b = y - position;
            int from = b, to = b;
            switch (position)
            {
                case WordLabels.B2: from = to = b + WordLabels.B; break;
                case WordLabels.B3: from = to = b + WordLabels.B2; break;
                case WordLabels.M: from = b + WordLabels.B3; to = b + WordLabels.M; break;
                case WordLabels.E: from = b + WordLabels.B; to = b + WordLabels.M; break;
            }
            int arg = -1;
            float bestScore = float.NegativeInfinity;
            if (position is WordLabels.B or WordLabels.S)
            {
                // Word ends only, in increasing label order: E then S of each class.
                for (int p = WordLabels.E; p < L; p += p % P == WordLabels.E ? 1 : P - 1)
                {
                    float s = prev[p] + transitions[p * L + y];
                    if (arg < 0 || s > bestScore) { bestScore = s; arg = p; }
                }
            }
            else
            {
                for (int p = from; p <= to; p++)
                {
                    float s = prev[p] + transitions[p * L + y];
                    if (arg < 0 || s > bestScore) { bestScore = s; arg = p; }
                }
            }
            output[i - 1] = y = arg;
        }
    }
}
