using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Viterbi decoding over joint segmentation labels (<see cref="WordLabels.Joint"/>) that follows their grammar instead
/// of trying every pair of labels: inside a word each label has one to four predecessors of its own class, and only a
/// word's first label (B or S of any class) looks at every word end (E or S of any class). For K classes that is about
/// 4K² + 10K additions a character instead of 36K². Both run a vector at a time: a word start's maximum over word
/// ends for eight starts at once, and the inner labels as the previous scores shifted by one to four lanes (label
/// <c>c × 6 + p</c> follows <c>c × 6 + p − k</c>), with −∞ transitions where no such step exists.
/// Holds the transitions in that layout; <see cref="Load"/> refills them, so a trainer reuses one instance.
/// </summary>
internal sealed class JointDecoder
{
    private const int P = WordLabels.Positions, Lanes = 8, Shifts = 5;
    private const ulong AnyPosition = (1UL << P) - 1;
    private readonly int K, L, _startLanes;
    private readonly float[] _endToStart;  // [end × starts padded]: end e = 2c (E) or 2c + 1 (S); start s = 2c (B) or 2c + 1 (S)
    private readonly int[] _endLabels;      // label of end e, padded with 0 to whole vectors
    private readonly float[] _startFromEnd; // [start × ends padded]: _endToStart turned over for the backtrack; −∞ past the ends
    private readonly int _rowLanes;        // L rounded up to whole vectors
    private readonly float[] _inner;       // [shift k = 0..4 × row lanes]: the transition from label l − k to l inside a word, or −∞
    private readonly float[] _first;       // from the sentence start, per label; −∞ past L
    private readonly float[] _positionMasks; // [mask of allowed positions × row lanes]: 0 where a label's position is allowed, −∞ elsewhere
    // Where each vector of labels takes its word starts' scores from the start maxima: each lane's place in its vector
    // of starts, and whether the lane is a word start. Three vectors of labels are four classes, eight starts: vector
    // of labels v reads vector of starts v / 3.
    private readonly int[] _startPlace, _isStart;

    public JointDecoder(int classes)
    {
        K = classes;
        L = K * P;
        _startLanes = (2 * K + Lanes - 1) / Lanes * Lanes;
        _endToStart = new float[2 * K * _startLanes];
        _endLabels = new int[_startLanes];
        for (int e = 0; e < 2 * K; e++) _endLabels[e] = EndLabel(e);
        _startFromEnd = new float[2 * K * _startLanes];
        _rowLanes = (L + Lanes - 1) / Lanes * Lanes;
        _inner = new float[Shifts * _rowLanes];
        _first = new float[_rowLanes];
        _positionMasks = new float[(1 << P) * _rowLanes];
        for (int mask = 0; mask < 1 << P; mask++)
            for (int y = 0; y < L; y++)
                _positionMasks[mask * _rowLanes + y] = (mask & 1 << y % P) != 0 ? 0 : float.NegativeInfinity;
        _startPlace = new int[_rowLanes];
        _isStart = new int[_rowLanes];
        for (int v = 0; v < _rowLanes / Lanes; v++)
        {
            for (int l = v * Lanes; l < (v + 1) * Lanes; l++)
            {
                if (l >= L || l % P is not (WordLabels.B or WordLabels.S)) continue;
                int start = 2 * (l / P) + (l % P == WordLabels.S ? 1 : 0);
                if (start / Lanes != v / 3) throw new InvalidOperationException("word starts outside their vector of starts");
                _startPlace[l] = start % Lanes;
                _isStart[l] = -1;
            }
        }
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
        _startFromEnd.AsSpan().Fill(float.NegativeInfinity);
        for (int s = 0; s < 2 * K; s++)
            for (int e = 0; e < 2 * K; e++)
                _startFromEnd[s * _startLanes + e] = _endToStart[e * _startLanes + s];
        _inner.AsSpan().Fill(float.NegativeInfinity);
        for (int l = 0; l < L; l++)
        {
            if (l % P is WordLabels.B or WordLabels.S) continue; // word starts come from the word-end maxima
            for (int k = 0; k < Shifts && k <= l % P; k++)
                _inner[k * _rowLanes + l] = transitions[(l - k) * L + l];
        }
        _first.AsSpan().Fill(float.NegativeInfinity);
        transitions.AsSpan(L * L, L).CopyTo(_first);
    }

    /// <summary>
    /// Decodes <paramref name="n"/> positions of <paramref name="scores"/> (n × L emissions, overwritten with the best
    /// path scores) into joint labels. <paramref name="allowed"/> may hold a bitmask of allowed positions
    /// (<see cref="WordLabels"/>) per character, for every class alike; 0 or an empty span leaves a character free.
    /// <paramref name="transitions"/> must be those last loaded. Ties go to the lowest label, as in <c>ViterbiDecoder</c>.
    /// </summary>
    /// <param name="stride">Scores between positions: L, or more where rows are padded to whole vectors. Rows padded
    /// with finite scores are read and written in place, their padding then −∞.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Decode(float[] transitions, Span<float> scores, int n, Span<int> output, ReadOnlySpan<ulong> allowed, int stride = 0)
    {
        if (n == 0) return;
        if (stride == 0) stride = L;
        int R = _rowLanes;
        bool inPlace = stride >= R;
        Span<float> best = stackalloc float[_startLanes];
        // The previous and current path scores, each after Lanes lanes of −∞ that shifted reads land on.
        Span<float> prevPadded = stackalloc float[Lanes + R];
        Span<float> curPadded = stackalloc float[Lanes + R];
        Span<float> emit = stackalloc float[R]; // rows not padded are copied here, their lanes past L left 0
        prevPadded.Fill(float.NegativeInfinity);
        curPadded.Fill(float.NegativeInfinity);
        emit.Clear();
        ref float inner = ref MemoryMarshal.GetArrayDataReference(_inner);
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * stride, L);
            ulong mask = allowed.IsEmpty || allowed[i] == 0 ? AnyPosition : allowed[i];
            if (i == n - 1) mask &= 1UL << WordLabels.E | 1UL << WordLabels.S;
            // Added to every emission: 0 keeps a score, −∞ rules the label out; all 0 for a free character.
            ref float positionMask = ref _positionMasks[(int)(mask & AnyPosition) * R];
            if (!inPlace) row.CopyTo(emit);
            ref float emitted = ref inPlace ? ref MemoryMarshal.GetReference(row) : ref MemoryMarshal.GetReference(emit);
            var cur = curPadded.Slice(Lanes, R);
            ref float cur0 = ref MemoryMarshal.GetReference(cur);
            if (i == 0)
            {
                // Lanes past L come out −∞ from the sentence-start row's padding.
                ref float first = ref MemoryMarshal.GetArrayDataReference(_first);
                for (int v = 0; v < R; v += Lanes)
                {
                    var path = Vector256.LoadUnsafe(ref emitted, (nuint)v) + Vector256.LoadUnsafe(ref positionMask, (nuint)v) + Vector256.LoadUnsafe(ref first, (nuint)v);
                    path.StoreUnsafe(ref cur0, (nuint)v);
                    if (inPlace) path.StoreUnsafe(ref emitted, (nuint)v);
                }
            }
            else
            {
                StartMaxima(ref prevPadded[Lanes], best);
                ref float p0 = ref prevPadded[Lanes];
                ref float best0 = ref MemoryMarshal.GetReference(best);
                // Lanes past L come out −∞: no transition or word start leads there, and their emissions are finite.
                for (int v = 0; v < R; v += Lanes)
                {
                    ref float at = ref Unsafe.Add(ref p0, v);
                    var step = Vector256.LoadUnsafe(ref at) + Vector256.LoadUnsafe(ref inner, (nuint)v);
                    step = Vectors.Max(step, Vector256.LoadUnsafe(ref Unsafe.Subtract(ref at, 1)) + Vector256.LoadUnsafe(ref inner, (nuint)(R + v)));
                    step = Vectors.Max(step, Vector256.LoadUnsafe(ref Unsafe.Subtract(ref at, 2)) + Vector256.LoadUnsafe(ref inner, (nuint)(2 * R + v)));
                    step = Vectors.Max(step, Vector256.LoadUnsafe(ref Unsafe.Subtract(ref at, 3)) + Vector256.LoadUnsafe(ref inner, (nuint)(3 * R + v)));
                    step = Vectors.Max(step, Vector256.LoadUnsafe(ref Unsafe.Subtract(ref at, 4)) + Vector256.LoadUnsafe(ref inner, (nuint)(4 * R + v)));
                    step = Vectors.Max(step, Starts(ref best0, v));
                    var path = step + (Vector256.LoadUnsafe(ref emitted, (nuint)v) + Vector256.LoadUnsafe(ref positionMask, (nuint)v));
                    path.StoreUnsafe(ref cur0, (nuint)v);
                    if (inPlace) path.StoreUnsafe(ref emitted, (nuint)v);
                }
            }
            if (!inPlace) cur[..L].CopyTo(row);
            var swap = prevPadded;
            prevPadded = curPadded;
            curPadded = swap;
        }
        Backtrack(transitions, scores, n, output, stride);
    }

    /// <summary>Labels <paramref name="v"/> .. v + 7: a word start's best score over the word ends before it, from the
    /// start maxima <paramref name="best"/>, moved into its lane; −∞ for the labels inside words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Starts(ref float best, int v)
    {
        var picked = SegmentationKernel.Gather(Vector256.LoadUnsafe(ref best, (nuint)(v / (3 * Lanes) * Lanes)), Vector256.LoadUnsafe(ref _startPlace[v]));
        return Vectors.Select(Vector256.LoadUnsafe(ref _isStart[v]).AsSingle(), picked, Vector256.Create(float.NegativeInfinity));
    }

    /// <summary>
    /// For every word start at once, its best score over all word ends before it, read from the previous path scores
    /// <paramref name="prev"/>. Up to three vectors of starts a pass over the ends, each its own chain of maxima, so
    /// that one broadcast of an end's score serves them all (11 classes: 22 starts, three vectors, one pass). Which end
    /// gives the maximum is found again only on the best path (<see cref="Backtrack"/>): tracking it here for every
    /// start took as many instructions again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StartMaxima(ref float prev, Span<float> best)
    {
        int S = _startLanes, E = 2 * K;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_endToStart);
        ref int endLabel = ref MemoryMarshal.GetArrayDataReference(_endLabels);
        ref float best0 = ref MemoryMarshal.GetReference(best);
        var none = Vector256.Create(float.NegativeInfinity);
        for (int j = 0; j < S; j += 3 * Lanes)
        {
            int vectors = Math.Min(3, (S - j) / Lanes);
            Vector256<float> a0 = none, a1 = none, a2 = none;
            ref float column = ref Unsafe.Add(ref table, j);
            for (int e = 0; e < E; e++)
            {
                var from = Vector256.Create(Unsafe.Add(ref prev, Unsafe.Add(ref endLabel, e)));
                ref float row = ref Unsafe.Add(ref column, e * S);
                a0 = Vectors.Max(a0, from + Vector256.LoadUnsafe(ref row));
                if (vectors == 1) continue;
                a1 = Vectors.Max(a1, from + Vector256.LoadUnsafe(ref row, Lanes));
                if (vectors == 2) continue;
                a2 = Vectors.Max(a2, from + Vector256.LoadUnsafe(ref row, 2 * Lanes));
            }
            a0.StoreUnsafe(ref best0, (nuint)j);
            if (vectors > 1) a1.StoreUnsafe(ref best0, (nuint)(j + Lanes));
            if (vectors > 2) a2.StoreUnsafe(ref best0, (nuint)(j + 2 * Lanes));
        }
    }

    /// <summary>
    /// The word end the best path to word start <paramref name="start"/> came from, the first on ties: the same sums as
    /// the search's (<see cref="StartMaxima"/>), eight ends at once, the previous scores gathered by end label.
    /// </summary>
    /// <param name="sums">Scratch of one float an end (padded).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe int BestEnd(ReadOnlySpan<float> prev, int start, Span<float> sums)
    {
        int E = _startLanes;
        var fromEnd = _startFromEnd.AsSpan(start * E, E);
        // Ends past 2K read label 0 and add −∞.
        if (Avx2.IsSupported)
            fixed (float* scores = prev)
                for (int e = 0; e < E; e += Lanes)
                    (Avx2.GatherVector256(scores, Vector256.LoadUnsafe(ref _endLabels[e]), sizeof(float)) + Vector256.LoadUnsafe(ref fromEnd[e])).StoreUnsafe(ref sums[e]);
        else
            for (int e = 0; e < E; e++) sums[e] = prev[_endLabels[e]] + fromEnd[e];
        return ViterbiDecoder.ArgMax(sums[..E]);
    }

    /// <summary>The best path back from the best last label: each label's predecessor found again from the path scores
    /// kept in <paramref name="scores"/>, among the word ends for a word start, among the one to four the grammar allows
    /// for the others; the first on ties, as the search took them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private void Backtrack(float[] transitions, ReadOnlySpan<float> scores, int n, Span<int> output, int stride)
    {
        var last = scores.Slice((n - 1) * stride, L);
        Span<float> sums = stackalloc float[_startLanes];
        int y = ViterbiDecoder.ArgMax(last);
        if (float.IsNegativeInfinity(last[y])) y = WordLabels.S; // constraints left no path: any grammatical one will do
        output[n - 1] = y;
        for (int i = n - 1; i > 0; i--)
        {
            int position = y % P, b = y - position;
            var prev = scores.Slice((i - 1) * stride, L);
            if (position is WordLabels.B or WordLabels.S)
            {
                output[i - 1] = y = _endLabels[BestEnd(prev, 2 * (b / P) + (position == WordLabels.S ? 1 : 0), sums)];
                continue;
            }
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
