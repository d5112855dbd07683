using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        Decode(model.Labels, model.EffectiveTransitions, emissions, n, output, allowed, forced, model.SwapBounds);

    /// <summary>Below this many labels the full search is as fast as pruning (entities, segmentation).</summary>
    private const int PruneFromLabels = 16;

    /// <summary>
    /// Swapping label y for label z at one position changes the transition part of any path's score by at most
    /// <c>bounds[z * L + y]</c>: the most y's incoming transitions beat z's, plus the most its outgoing ones do (or 0,
    /// at the sentence end). So where z's emission beats y's by more than that, no best path goes through y: the
    /// same path with z there scores higher. On the pd98 tag set that leaves 2.4 of 44 tags a word. Null when a
    /// transition is forbidden (a swap could break the label grammar) or the label set is small.
    /// </summary>
    internal static float[]? SwapBounds(LabelSet labels, float[] trans)
    {
        int L = labels.Count;
        if (L < PruneFromLabels) return null;
        foreach (float t in trans) if (!float.IsFinite(t)) return null;
        for (int y = 0; y < L; y++) if (!labels.AllowedLast[y]) return null;
        var bounds = new float[L * L];
        for (int y = 0; y < L; y++)
            for (int z = 0; z < L; z++)
            {
                float incoming = float.NegativeInfinity, outgoing = 0;
                for (int p = 0; p <= L; p++) incoming = Math.Max(incoming, trans[p * L + y] - trans[p * L + z]);
                for (int q = 0; q < L; q++) outgoing = Math.Max(outgoing, trans[y * L + q] - trans[z * L + q]);
                bounds[z * L + y] = incoming + outgoing + BoundSlack; // by z, so one position reads one row
            }
        return bounds;
    }

    /// <summary>
    /// Added to every bound: path scores are float sums, and a label whose emission gap only just exceeds its bound is
    /// kept rather than pruned on a rounding error. One perceptron update's worth of weight.
    /// </summary>
    private const float BoundSlack = 1f;

    /// <param name="trans">(L + 1) × L transitions, −∞ where the grammar forbids; row L is the sentence start.</param>
    /// <param name="swapBounds">From <see cref="SwapBounds"/> for these transitions, or null to visit every label.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Decode(LabelSet labels, float[] trans, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default, float[]? swapBounds = null)
    {
        if (n == 0) return;
        if (swapBounds is not null && DecodePruned(labels, trans, swapBounds, emissions, n, output, allowed, forced)) return;
        int L = labels.Count;
        if (!IsWide(L) && L <= SmallLabels && Vector256.IsHardwareAccelerated) DecodeSmall(labels, trans, emissions, n, output, allowed, forced);
        else DecodeFull(labels, trans, emissions, n, output, allowed, forced);
    }

    /// <summary>Up to this many labels (the entity model: 10), a step's scores fit in two 256-bit registers.</summary>
    private const int SmallLabels = 16;

    /// <summary>Whether <see cref="DecodeFull"/> takes its vectorized step (<see cref="Step"/>): from two vectors of labels;
    /// below, it is scalar.</summary>
    internal static bool IsWide(int labelCount) => labelCount >= 2 * Vector<float>.Count;

    /// <summary>
    /// The full search for the label sets whose <see cref="DecodeFull"/> is scalar, each step in registers: for each previous
    /// label in increasing order, every next label's score at once, the better kept with a strict comparison, so ties
    /// go to the lowest previous label; a pair the grammar forbids scores −∞ and never wins. The same path, scores and
    /// backpointers as <see cref="DecodeFull"/>, without its branch per label pair.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal static void DecodeSmall(LabelSet labels, float[] trans, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed, ReadOnlySpan<int> forced)
    {
        const int S = SmallLabels, W = 8;
        int L = labels.Count;
        if (L > S) throw new ArgumentException($"at most {S} labels", nameof(labels));
        // Transitions with a row of 16 next labels each; the missing labels are unreachable, as are their emissions.
        Span<float> padded = stackalloc float[S * (L + 1)];
        padded.Fill(float.NegativeInfinity);
        for (int p = 0; p <= L; p++) trans.AsSpan(p * L, L).CopyTo(padded.Slice(p * S, L));
        Span<float> emit = stackalloc float[S];
        emit.Fill(float.NegativeInfinity);
        Span<float> prev = stackalloc float[S];
        int[] back = ArrayPool<int>.Shared.Rent(n * S);
        try
        {
            ref float rows = ref MemoryMarshal.GetReference(padded);
            ref float emitRef = ref MemoryMarshal.GetReference(emit);
            ref float prevRef = ref MemoryMarshal.GetReference(prev);
            ref int backRef = ref MemoryMarshal.GetArrayDataReference(back);
            var none = Vector256.Create(float.NegativeInfinity);
            Constrain(emissions[..L], emit[..L], 0, n, allowed, forced, labels.AllowedLast);
            var cur0 = Vector256.LoadUnsafe(ref emitRef) + Vector256.LoadUnsafe(ref rows, (nuint)(L * S));
            var cur1 = Vector256.LoadUnsafe(ref emitRef, W) + Vector256.LoadUnsafe(ref rows, (nuint)(L * S + W));
            // The transitions again by next label, 16 previous labels a row: at a position whose label is forced (most
            // of them, for the entity model) one label's best predecessor is all a step needs. Built only for a call
            // that forces labels: training and unsettled sentences never read it.
            Span<float> into = stackalloc float[forced.IsEmpty ? 0 : S * S];
            into.Fill(float.NegativeInfinity);
            if (!forced.IsEmpty)
                for (int p = 0; p < L; p++)
                    for (int y = 0; y < L; y++) into[y * S + p] = trans[p * L + y];
            ref float intoRef = ref MemoryMarshal.GetReference(into);
            var lane0 = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            var lane1 = Vector256.Create(8, 9, 10, 11, 12, 13, 14, 15);
            for (int i = 1; i < n; i++)
            {
                int y = forced.IsEmpty ? -1 : forced[i];
                if (y >= 0 && Allows(y, i, n, allowed, labels.AllowedLast))
                {
                    var s0 = cur0 + Vector256.LoadUnsafe(ref intoRef, (nuint)(y * S));
                    var s1 = cur1 + Vector256.LoadUnsafe(ref intoRef, (nuint)(y * S + W));
                    var top = Vector256.Create(Vectors.MaxAcross(Vectors.Max(s0, s1)));
                    // The first previous label of the best score, as the full step's strict comparison keeps it.
                    uint at = Vector256.Equals(s0, top).ExtractMostSignificantBits() | Vector256.Equals(s1, top).ExtractMostSignificantBits() << W;
                    Vector256<int>.Zero.StoreUnsafe(ref backRef, (nuint)(i * S));
                    Vector256<int>.Zero.StoreUnsafe(ref backRef, (nuint)(i * S + W));
                    Unsafe.Add(ref backRef, i * S + y) = BitOperations.TrailingZeroCount(at);
                    var score = top + Vector256.Create(emissions[i * L + y]);
                    cur0 = Vectors.Select(Vector256.Equals(lane0, Vector256.Create(y)).AsSingle(), score, none);
                    cur1 = Vectors.Select(Vector256.Equals(lane1, Vector256.Create(y)).AsSingle(), score, none);
                    continue;
                }
                cur0.StoreUnsafe(ref prevRef);
                cur1.StoreUnsafe(ref prevRef, W);
                Constrain(emissions.Slice(i * L, L), emit[..L], i, n, allowed, forced, labels.AllowedLast);
                Vector256<float> best0 = none, best1 = none;
                Vector256<int> arg0 = Vector256<int>.Zero, arg1 = Vector256<int>.Zero;
                for (int p = 0; p < L; p++)
                {
                    var from = Vector256.Create(Unsafe.Add(ref prevRef, p));
                    var s0 = from + Vector256.LoadUnsafe(ref rows, (nuint)(p * S));
                    var s1 = from + Vector256.LoadUnsafe(ref rows, (nuint)(p * S + W));
                    var better0 = Vector256.GreaterThan(s0, best0);
                    var better1 = Vector256.GreaterThan(s1, best1);
                    best0 = Vectors.Max(s0, best0);
                    best1 = Vectors.Max(s1, best1);
                    var label = Vector256.Create(p);
                    arg0 = Vectors.Select(better0, label, arg0);
                    arg1 = Vectors.Select(better1, label, arg1);
                }
                var e0 = Vector256.LoadUnsafe(ref emitRef);
                var e1 = Vector256.LoadUnsafe(ref emitRef, W);
                // A label the constraints rule out keeps backpointer 0, as the full search leaves it.
                Vector256.AndNot(arg0, Vector256.Equals(e0, none).AsInt32()).StoreUnsafe(ref backRef, (nuint)(i * S));
                Vector256.AndNot(arg1, Vector256.Equals(e1, none).AsInt32()).StoreUnsafe(ref backRef, (nuint)(i * S + W));
                cur0 = best0 + e0;
                cur1 = best1 + e1;
            }
            cur0.StoreUnsafe(ref prevRef);
            cur1.StoreUnsafe(ref prevRef, W);
            Backtrack(prev[..L], forced, back, S, n, output);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(back);
        }
    }

    /// <summary>The full search, any number of labels: scalar over the grammar's allowed pairs below two vectors of
    /// labels, vectorized over the next label (<see cref="Step"/>) from there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal static void DecodeFull(LabelSet labels, float[] trans, ReadOnlySpan<float> emissions, int n, Span<int> output,
        ReadOnlySpan<ulong> allowed, ReadOnlySpan<int> forced)
    {
        int L = labels.Count;
        float[] buffer = ArrayPool<float>.Shared.Rent(3 * L);
        int[] back = ArrayPool<int>.Shared.Rent(n * L);
        try
        {
            Span<float> prev = buffer.AsSpan(0, L), cur = buffer.AsSpan(L, L), emit = buffer.AsSpan(2 * L, L);
            var start = trans.AsSpan(L * L, L);
            // Per previous label, its largest transition: the bound that lets the wide step skip hopeless labels.
            bool wide = IsWide(L);
            Span<float> maxTransition = stackalloc float[wide ? L : 0];
            for (int p = 0; p < maxTransition.Length; p++) maxTransition[p] = MaxFinite(trans.AsSpan(p * L, L));
            // For the small label sets, the previous labels the grammar allows before each next label, in increasing
            // order: a disallowed pair scores −∞ and never wins, so skipping it changes nothing.
            Span<int> predecessorStart = stackalloc int[wide ? 0 : L + 1];
            Span<int> predecessors = stackalloc int[wide ? 0 : L * L];
            for (int y = 0, k = 0; y < predecessorStart.Length - 1; y++)
            {
                for (int p = 0; p < L; p++) if (!float.IsNegativeInfinity(trans[p * L + y])) predecessors[k++] = p;
                predecessorStart[y + 1] = k;
            }
            Constrain(emissions[..L], emit, 0, n, allowed, forced, labels.AllowedLast);
            for (int y = 0; y < L; y++) prev[y] = emit[y] + start[y];
            for (int i = 1; i < n; i++)
            {
                int row = i * L;
                Constrain(emissions.Slice(row, L), emit, i, n, allowed, forced, labels.AllowedLast);
                var backRow = back.AsSpan(row, L);
                if (wide)
                {
                    Step(prev, cur, emit, trans, maxTransition, backRow, L);
                    var swap = prev; prev = cur; cur = swap;
                    continue;
                }
                for (int y = 0; y < L; y++)
                {
                    float best = float.NegativeInfinity;
                    int arg = 0;
                    if (!float.IsNegativeInfinity(emit[y]))
                    {
                        foreach (int p in predecessors[predecessorStart[y]..predecessorStart[y + 1]])
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
            Backtrack(prev, forced, back, L, n, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(back);
        }
    }

    /// <summary>
    /// The path ending in the first label of the best final score (the forced last label, or 0, when the constraints
    /// leave no path), followed back through <paramref name="back"/>, <paramref name="stride"/> backpointers a position.
    /// </summary>
    private static void Backtrack(ReadOnlySpan<float> final, ReadOnlySpan<int> forced, int[] back, int stride, int n, Span<int> output)
    {
        float top = float.NegativeInfinity;
        int last = !forced.IsEmpty && forced[n - 1] >= 0 ? forced[n - 1] : 0;
        for (int y = 0; y < final.Length; y++)
            if (final[y] > top) { top = final[y]; last = y; }
        output[n - 1] = last;
        for (int i = n - 1; i > 0; i--) output[i - 1] = back[i * stride + output[i]];
    }

    /// <summary>
    /// Viterbi over the labels <see cref="SwapBounds"/> leaves at each position: the same best path, ties broken the
    /// same way (candidates in increasing label order), since a pruned label is on no best path and is never the best
    /// predecessor of a label that is. False, with nothing written, when some position has no allowed label.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static bool DecodePruned(LabelSet labels, float[] trans, float[] bounds, ReadOnlySpan<float> emissions, int n,
        Span<int> output, ReadOnlySpan<ulong> allowed, ReadOnlySpan<int> forced)
    {
        int L = labels.Count;
        float[] scores = ArrayPool<float>.Shared.Rent(3 * L);
        int[] ints = ArrayPool<int>.Shared.Rent(4 * L + n * L);
        try
        {
            Span<float> emit = scores.AsSpan(0, L), prevScore = scores.AsSpan(L, L), curScore = scores.AsSpan(2 * L, L);
            Span<int> prevLabels = ints.AsSpan(0, L), curLabels = ints.AsSpan(L, L);
            // Where each candidate's transitions start (label × L), for the next position's search.
            Span<int> prevRows = ints.AsSpan(2 * L, L), curRows = ints.AsSpan(3 * L, L);
            var back = ints.AsSpan(4 * L, n * L);
            int prevCount = 0;
            bool constrained = !allowed.IsEmpty || !forced.IsEmpty;
            for (int i = 0; i < n; i++)
            {
                var row = emissions.Slice(i * L, L);
                int count, settled = forced.IsEmpty ? -1 : forced[i];
                if (settled >= 0)
                {
                    // A forced label is the only candidate (a tag dictionary forces half the words): no copy, no search.
                    if (!Allows(settled, i, n, allowed, labels.AllowedLast)) return false;
                    curLabels[0] = settled;
                    count = 1;
                }
                else
                {
                    if (constrained && (i == n - 1 || !allowed.IsEmpty && allowed[i] != 0))
                    {
                        Constrain(row, emit, i, n, allowed, default, labels.AllowedLast);
                        row = emit;
                    }
                    int top = ArgMax(row);
                    if (float.IsNegativeInfinity(row[top])) return false;
                    count = Candidates(row, row[top], bounds.AsSpan(top * L, L), curLabels);
                }
                if (i == 0)
                    for (int k = 0; k < count; k++)
                    {
                        int y = curLabels[k];
                        curScore[k] = row[y] + trans[L * L + y];
                        back[y] = 0;
                        curRows[k] = y * L;
                    }
                else
                    PrunedStep(ref MemoryMarshal.GetReference(prevScore), ref MemoryMarshal.GetReference(prevLabels),
                        ref MemoryMarshal.GetReference(prevRows), prevCount, ref MemoryMarshal.GetReference(curLabels), count,
                        ref MemoryMarshal.GetArrayDataReference(trans), ref MemoryMarshal.GetReference(row),
                        ref MemoryMarshal.GetReference(curScore), ref MemoryMarshal.GetReference(curRows), ref back[i * L], L);
                var swapScores = prevScore; prevScore = curScore; curScore = swapScores;
                var swapLabels = prevLabels; prevLabels = curLabels; curLabels = swapLabels;
                var swapRows = prevRows; prevRows = curRows; curRows = swapRows;
                prevCount = count;
            }
            float topScore = float.NegativeInfinity;
            int last = prevLabels[0];
            for (int j = 0; j < prevCount; j++)
                if (prevScore[j] > topScore) { topScore = prevScore[j]; last = prevLabels[j]; }
            output[n - 1] = last;
            for (int i = n - 1; i > 0; i--) output[i - 1] = back[i * L + output[i]];
            return true;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(ints);
        }
    }

    /// <summary>
    /// One step of the pruned search: for each of the <paramref name="count"/> labels kept at this position, its best
    /// predecessor among the <paramref name="prevCount"/> kept at the one before (the first of equal ones; label 0
    /// when all are −∞) into <paramref name="back"/> (this position's row), its score, and where its transitions start
    /// (label × <paramref name="L"/>). Its own method, so that its few values stay in registers: inside the whole
    /// search they were spilled. Refs and counts, not spans, since a call passing spans copied them through the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers
    private static void PrunedStep(ref float prevScore, ref int prevLabel, ref int prevRow, int prevCount, ref int label,
        int count, ref float trans, ref float row, ref float score, ref int rows, ref int back, int L)
    {
        for (int k = 0; k < count; k++)
        {
            int y = Unsafe.Add(ref label, k);
            ref float toLabel = ref Unsafe.Add(ref trans, y); // transitions into y, a row apart
            float best = float.NegativeInfinity;
            int at = -1;
            for (int j = 0; j < prevCount; j++)
            {
                float s = Unsafe.Add(ref prevScore, j) + Unsafe.Add(ref toLabel, Unsafe.Add(ref prevRow, j));
                if (s > best)
                {
                    best = s;
                    at = j;
                }
            }
            Unsafe.Add(ref score, k) = best + Unsafe.Add(ref row, y);
            Unsafe.Add(ref back, y) = at >= 0 ? Unsafe.Add(ref prevLabel, at) : 0;
            Unsafe.Add(ref rows, k) = y * L;
        }
    }

    /// <summary>Whether the constraints leave <paramref name="label"/> to position <paramref name="i"/>, as <see cref="Constrain"/> does.</summary>
    private static bool Allows(int label, int i, int n, ReadOnlySpan<ulong> allowed, bool[] allowedLast) =>
        (i < n - 1 || allowedLast[label]) && (allowed.IsEmpty || allowed[i] == 0 || label < 64 && (allowed[i] & (1UL << label)) != 0);

    /// <summary>The first label of the highest score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        int W = Vector256<float>.Count, L = row.Length;
        if (!Vector256.IsHardwareAccelerated || L < W)
        {
            int best = 0;
            for (int y = 1; y < L; y++) if (row[y] > row[best]) best = y;
            return best;
        }
        ref float start = ref MemoryMarshal.GetReference(row);
        var max = Vector256.LoadUnsafe(ref start);
        for (int y = W; y < L; y += W) max = Vectors.Max(max, Vector256.LoadUnsafe(ref start, (nuint)Math.Min(y, L - W)));
        var top = Vector256.Create(Vectors.MaxAcross(max));
        // In increasing order, so the first vector holding the maximum holds its first label (the last vector overlaps
        // the one before, whose lanes were already searched).
        for (int y = 0; ; y += W)
        {
            int at = Math.Min(y, L - W);
            uint found = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)at), top).ExtractMostSignificantBits();
            if (found != 0) return at + BitOperations.TrailingZeroCount(found);
            if (at == L - W) return 0; // NaN-free scores: not reached
        }
    }

    /// <summary>Writes, in increasing order, the labels whose score is within their bound of <paramref name="top"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static int Candidates(ReadOnlySpan<float> row, float top, ReadOnlySpan<float> bounds, Span<int> labels)
    {
        int W = Vector256<float>.Count, L = row.Length, count = 0;
        if (!Vector256.IsHardwareAccelerated || L < W)
        {
            for (int y = 0; y < L; y++)
                if (top - row[y] <= bounds[y]) labels[count++] = y;
            return count;
        }
        ref float scores = ref MemoryMarshal.GetReference(row);
        ref float bound = ref MemoryMarshal.GetReference(bounds);
        var topV = Vector256.Create(top);
        for (int y = 0; y < L; y += W)
        {
            int at = Math.Min(y, L - W);
            uint within = Vector256.LessThanOrEqual(topV - Vector256.LoadUnsafe(ref scores, (nuint)at), Vector256.LoadUnsafe(ref bound, (nuint)at))
                .ExtractMostSignificantBits() >> (y - at); // the last vector's lanes below y were the one before's
            for (; within != 0; within &= within - 1) labels[count++] = y + BitOperations.TrailingZeroCount(within);
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static float MaxFinite(ReadOnlySpan<float> values)
    {
        float max = float.NegativeInfinity;
        foreach (float v in values) if (v > max) max = v;
        return max;
    }

    /// <summary>
    /// One Viterbi step for large label sets (part-of-speech tags), vectorized over the next label: for each previous
    /// label p, the scores of every next label are updated at once, keeping the best score and its argmax. The best
    /// previous label goes first; then a previous label whose score plus its largest transition stays below every
    /// next label's best so far cannot win anywhere and is skipped. Ties go to the lowest previous label, so the result
    /// is exactly that of visiting every pair in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static void Step(Span<float> prev, Span<float> cur, ReadOnlySpan<float> emit, float[] trans, ReadOnlySpan<float> maxTransition,
        Span<int> backRow, int L)
    {
        cur.Fill(float.NegativeInfinity);
        backRow.Clear();
        if (trans.Length < L * L) throw new ArgumentException("transitions shorter than L × L", nameof(trans));
        int top = 0;
        for (int p = 1; p < L; p++) if (prev[p] > prev[top]) top = p;
        if (!float.IsNegativeInfinity(prev[top]))
        {
            Relax(prev[top], top, cur, trans, backRow, L);
            float floor = Min(cur, L);
            for (int p = 0; p < L; p++)
            {
                float from = prev[p];
                if (p == top || float.IsNegativeInfinity(from) || from + maxTransition[p] < floor) continue;
                Relax(from, p, cur, trans, backRow, L);
                floor = Min(cur, L);
            }
        }
        for (int y = 0; y < L; y++) cur[y] += emit[y];
    }

    /// <summary>
    /// Updates every next label from previous label <paramref name="p"/>. Refs and unchecked loads: this runs up to L
    /// times per word. The last vector overlaps the one before instead of a scalar tail; redoing a lane changes
    /// nothing. Every index stays below L, since L ≥ the vector width.
    /// </summary>
    private static void Relax(float from, int p, Span<float> cur, float[] trans, Span<int> backRow, int L)
    {
        int W = Vector<float>.Count;
        ref float curRef = ref MemoryMarshal.GetReference(cur);
        ref int backRef = ref MemoryMarshal.GetReference(backRow);
        ref float row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(trans), p * L);
        var fromV = new Vector<float>(from);
        var pV = new Vector<int>(p);
        for (int y = 0; ; y += W)
        {
            if (y > L - W) y = L - W;
            var s = fromV + Vector.LoadUnsafe(ref row, (nuint)y);
            var best = Vector.LoadUnsafe(ref curRef, (nuint)y);
            var arg = Vector.LoadUnsafe(ref backRef, (nuint)y);
            var better = Vector.GreaterThan(s, best) | (Vector.Equals(s, best) & Vector.LessThan(pV, arg));
            Vector.ConditionalSelect(better, s, best).StoreUnsafe(ref curRef, (nuint)y);
            Vector.ConditionalSelect(better, pV, arg).StoreUnsafe(ref backRef, (nuint)y);
            if (y == L - W) break;
        }
    }

    private static float Min(ReadOnlySpan<float> values, int L)
    {
        int W = Vector<float>.Count;
        ref float start = ref MemoryMarshal.GetReference(values);
        var min = Vector.LoadUnsafe(ref start);
        for (int y = W; y < L; y += W) min = Vector.Min(min, Vector.LoadUnsafe(ref start, (nuint)Math.Min(y, L - W)));
        float m = min[0];
        for (int k = 1; k < W; k++) m = Math.Min(m, min[k]);
        return m;
    }

    /// <summary>Copies one position's emissions, with −∞ for labels the constraints or the sentence end rule out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
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
