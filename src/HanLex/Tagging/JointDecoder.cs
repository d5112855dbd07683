using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    private const int P = WordLabels.Positions, Lanes = 8;
    private const ulong AnyPosition = (1UL << P) - 1;
    private readonly int K, L, _startLanes;
    private readonly float[] _endToStart;  // [end × starts padded]: end e = 2c (E) or 2c + 1 (S); start s = 2c (B) or 2c + 1 (S)
    private readonly float[] _inner;       // per class: B→B2, B2→B3, B3→M, M→M, B→E, B2→E, B3→E, M→E
    private readonly float[] _first;       // from the sentence start, per label

    public JointDecoder(int classes)
    {
        K = classes;
        L = K * P;
        _startLanes = (2 * K + Lanes - 1) / Lanes * Lanes;
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
    /// <param name="stride">Scores between positions: L, or more where rows are padded to whole vectors.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Decode(float[] transitions, Span<float> scores, int n, Span<int> output, ReadOnlySpan<ulong> allowed, int stride = 0)
    {
        if (n == 0) return;
        if (stride == 0) stride = L;
        int S = _startLanes;
        // Per position, each word start's best word end: found with the maximum, where finding it again would walk
        // all word ends one after another.
        int[] back = ArrayPool<int>.Shared.Rent(n * S);
        try
        {
            Span<float> ends = stackalloc float[2 * K];
            Span<float> best = stackalloc float[S];
            for (int i = 0; i < n; i++)
            {
                var row = scores.Slice(i * stride, L);
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
                var prev = scores.Slice((i - 1) * stride, L);
                for (int c = 0; c < K; c++)
                {
                    ends[2 * c] = prev[c * P + WordLabels.E];
                    ends[2 * c + 1] = prev[c * P + WordLabels.S];
                }
                StartMaxima(ends, best, back.AsSpan(i * S, S));
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
            Backtrack(transitions, scores, n, output, stride, back);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(back);
        }
    }

    /// <summary>The larger of two scores, neither of them NaN: one instruction, where <see cref="MathF.Max"/> also orders −0 and NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(float a, float b) => a > b ? a : b;

    /// <summary>
    /// For every word start at once, its best score over all word ends before it and which end gives it (the first
    /// on ties). Two vectors of starts per pass, so that two chains of maxima run side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StartMaxima(ReadOnlySpan<float> ends, Span<float> best, Span<int> arg)
    {
        int S = _startLanes;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_endToStart);
        ref float bestRef = ref MemoryMarshal.GetReference(best);
        ref int argRef = ref MemoryMarshal.GetReference(arg);
        var none = Vector256.Create(float.NegativeInfinity);
        for (int j = 0; j < S; j += 2 * Lanes)
        {
            bool two = j + Lanes < S;
            Vector256<float> acc0 = none, acc1 = none;
            Vector256<int> arg0 = Vector256<int>.Zero, arg1 = Vector256<int>.Zero;
            for (int e = 0; e < ends.Length; e++)
            {
                var from = Vector256.Create(ends[e]);
                var which = Vector256.Create(e);
                ref float row = ref Unsafe.Add(ref table, e * S + j);
                var s0 = from + Vector256.LoadUnsafe(ref row);
                var better0 = Vector256.GreaterThan(s0, acc0);
                acc0 = Vector256.ConditionalSelect(better0, s0, acc0);
                arg0 = Vector256.ConditionalSelect(better0.AsInt32(), which, arg0);
                if (!two) continue;
                var s1 = from + Vector256.LoadUnsafe(ref row, Lanes);
                var better1 = Vector256.GreaterThan(s1, acc1);
                acc1 = Vector256.ConditionalSelect(better1, s1, acc1);
                arg1 = Vector256.ConditionalSelect(better1.AsInt32(), which, arg1);
            }
            acc0.StoreUnsafe(ref bestRef, (nuint)j);
            arg0.StoreUnsafe(ref argRef, (nuint)j);
            if (!two) continue;
            acc1.StoreUnsafe(ref bestRef, (nuint)(j + Lanes));
            arg1.StoreUnsafe(ref argRef, (nuint)(j + Lanes));
        }
    }

    /// <summary>The best path back from the best last label: a word start's predecessor as recorded, the others found
    /// again among the one to four the grammar allows.</summary>
    private void Backtrack(float[] transitions, ReadOnlySpan<float> scores, int n, Span<int> output, int stride, int[] back)
    {
        var last = scores.Slice((n - 1) * stride, L);
        int y = 0;
        float top = float.NegativeInfinity;
        for (int l = 0; l < L; l++)
            if (last[l] > top) { top = last[l]; y = l; }
        if (float.IsNegativeInfinity(top)) y = WordLabels.S; // constraints left no path: any grammatical one will do
        output[n - 1] = y;
        for (int i = n - 1; i > 0; i--)
        {
            int position = y % P, b = y - position;
            if (position is WordLabels.B or WordLabels.S)
            {
                output[i - 1] = y = EndLabel(back[i * _startLanes + 2 * (b / P) + (position == WordLabels.S ? 1 : 0)]);
                continue;
            }
            var prev = scores.Slice((i - 1) * stride, L);
            int from = b, to = b;
            switch (position)
            {
                case WordLabels.B2: from = to = b + WordLabels.B; break;
                case WordLabels.B3: from = to = b + WordLabels.B2; break;
                case WordLabels.M: from = b + WordLabels.B3; to = b + WordLabels.M; break;
                case WordLabels.E: from = b + WordLabels.B; to = b + WordLabels.M; break;
            }
            int arg = from;
            float bestScore = prev[from] + transitions[from * L + y];
            for (int p = from + 1; p <= to; p++)
            {
                float s = prev[p] + transitions[p * L + y];
                if (s > bestScore) { bestScore = s; arg = p; }
            }
            output[i - 1] = y = arg;
        }
    }
}
