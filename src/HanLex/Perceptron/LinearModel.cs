using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HanLex.Perceptron;

/// <summary>
/// A frozen linear sequence model: sparse weight rows (feature → (label, weight) entries), first-order transition
/// weights and a label set. Immutable and safe to share; online learning adds an overlay in a new instance.
/// </summary>
public sealed class LinearModel
{
    private FeatureMap? _map; // built on first use: a compiled segmentation model never needs it
    private readonly int[] _rowStart;
    private readonly Entry[] _entries; // label and weight side by side, four bytes: one cache line per row
    private readonly IReadOnlyDictionary<ulong, float[]>? _overlay;

    /// <param name="entryWeight">Kept in half precision, as model files store weights (<see cref="HalfPrecision"/>).</param>
    public LinearModel(LabelSet labels, ulong[] keys, int[] rowStart, ushort[] entryLabel, float[] entryWeight, float[] transitions,
        IReadOnlyDictionary<ulong, float[]>? overlay = null)
        : this(labels, keys, rowStart, Zip(entryLabel, entryWeight, labels.Count), transitions, overlay)
    {
    }

    /// <param name="entries">Row <c>r</c>'s (label, weight) entries at <c>rowStart[r] .. rowStart[r + 1]</c>; kept, not copied.</param>
    internal LinearModel(LabelSet labels, ulong[] keys, int[] rowStart, Entry[] entries, float[] transitions,
        IReadOnlyDictionary<ulong, float[]>? overlay = null)
    {
        if (rowStart.Length != keys.Length + 1) throw new ArgumentException("rowStart must have one more entry than keys");
        if (rowStart[^1] != entries.Length) throw new ArgumentException("rowStart must end at the number of entries");
        // Scoring reads rows unchecked.
        if (rowStart[0] != 0) throw new ArgumentException("rowStart must start at 0");
        for (int r = 0; r < keys.Length; r++) if (rowStart[r + 1] < rowStart[r]) throw new ArgumentException("rowStart must not decrease");
        if (transitions.Length != (labels.Count + 1) * labels.Count) throw new ArgumentException("transitions must be (labels + 1) × labels");
        Labels = labels;
        Keys = keys;
        _rowStart = rowStart;
        _entries = entries;
        Transitions = transitions;
        EffectiveTransitions = Effective(labels, transitions);
        SwapBounds = ViterbiDecoder.SwapBounds(labels, EffectiveTransitions);
        _overlay = overlay is { Count: > 0 } ? overlay : null;
    }

    private static Entry[] Zip(ushort[] labels, float[] weights, int labelCount)
    {
        if (labels.Length != weights.Length) throw new ArgumentException("one label per weight");
        foreach (ushort l in labels) if (l >= labelCount) throw new ArgumentException($"label id {l} out of range");
        var entries = new Entry[weights.Length];
        for (int i = 0; i < entries.Length; i++) entries[i] = new Entry(labels[i], weights[i]);
        return entries;
    }

    private LinearModel(LinearModel source, float[] transitions, IReadOnlyDictionary<ulong, float[]> overlay)
    {
        Labels = source.Labels;
        Keys = source.Keys;
        _map = source.Map;
        _rowStart = source._rowStart;
        _entries = source._entries;
        Transitions = transitions;
        EffectiveTransitions = Effective(Labels, transitions);
        SwapBounds = ViterbiDecoder.SwapBounds(Labels, EffectiveTransitions);
        _overlay = overlay.Count > 0 ? overlay : null;
    }

    public LabelSet Labels { get; }

    /// <summary>The key → row index, built once on first use (concurrent first uses may each build one; one wins).</summary>
    internal FeatureMap Map
    {
        get
        {
            if (_map is { } map) return map;
            Interlocked.CompareExchange(ref _map, FeatureMap.WithDenseRows(Keys, _rowStart, _entries, Labels.Count), null);
            return _map;
        }
    }

    /// <summary>Feature keys, one per row.</summary>
    public ulong[] Keys { get; }

    /// <summary>Transition weights: row <c>prev</c> (or <c>Labels.Count</c> for the sentence start) × column <c>next</c>.</summary>
    public float[] Transitions { get; }

    /// <summary>Transitions with the label grammar folded in (−∞ where not allowed), as the decoder uses them.</summary>
    internal float[] EffectiveTransitions { get; }

    /// <summary>See <see cref="ViterbiDecoder.SwapBounds"/>; null where the decoder visits every label.</summary>
    internal float[]? SwapBounds { get; }

    public int FeatureCount => Keys.Length;
    public int WeightCount => _entries.Length;
    internal int[] RowStart => _rowStart;

    /// <summary>The (label, weight) entries of all rows; row <c>r</c> holds <c>RowStart[r] .. RowStart[r + 1]</c>.</summary>
    internal ReadOnlySpan<Entry> Entries => _entries;

    /// <summary>Row <paramref name="row"/> with a weight for every label.</summary>
    internal float[] DenseRow(int row)
    {
        var dense = new float[Labels.Count];
        foreach (var e in _entries.AsSpan(_rowStart[row], _rowStart[row + 1] - _rowStart[row])) dense[e.Label] = e.Weight;
        return dense;
    }
    internal IReadOnlyDictionary<ulong, float[]>? Overlay => _overlay;

    /// <summary>Adds the weights of <paramref name="features"/> to <paramref name="scores"/> (one slot per label).</summary>
    // Not inlined: decoding uses the batch form below; the callers of this one run once per load or with an overlay.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void AddScores(ReadOnlySpan<ulong> features, Span<float> scores)
    {
        var entries = _entries;
        var map = Map;
        foreach (ulong key in features)
        {
            if (key == 0) continue;
            if (map.TryFind(key, out int start, out int count))
            {
                if (count == FeatureMap.Dense) Vectors.AddInto(scores, map.DenseWeights.AsSpan(start, scores.Length));
                else foreach (ref readonly var e in entries.AsSpan(start, count)) scores[e.Label] += e.Weight;
            }
            if (_overlay is not null && _overlay.TryGetValue(key, out var delta))
                for (int l = 0; l < delta.Length; l++) scores[l] += delta[l];
        }
    }

    /// <summary>One weight of a row in four bytes: its label, and the weight in half precision (<see cref="HalfPrecision"/>).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)] // label, then weight: AddTo reads both as one word
    internal readonly struct Entry
    {
        private readonly ushort _label;
        public readonly ushort WeightBits;

        public Entry(int label, float weight) : this(label, HalfPrecision.Round(weight))
        {
        }

        private Entry(int label, ushort weightBits)
        {
            _label = checked((ushort)label);
            WeightBits = weightBits;
        }

        /// <summary>An entry of stored half-precision bits, sanitized (<see cref="HalfPrecision.Sanitize"/>).</summary>
        public static Entry FromBits(int label, ushort bits) => new(label, HalfPrecision.Sanitize(bits));

        public int Label
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _label;
        }

        public float Weight
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => HalfPrecision.ToSingle(WeightBits);
        }

        /// <summary>Adds <paramref name="count"/> entries from <paramref name="row"/> to the scores at their labels,
        /// unchecked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddTo(ref float scores, ref Entry row, int count)
        {
            if (BitConverter.IsLittleEndian) // an entry read as 32 bits is then its weight over its label
            {
                HalfPrecision.AddPacked(ref scores, ref Unsafe.As<Entry, uint>(ref row), (nuint)(uint)count);
                return;
            }
            for (int k = 0; k < count; k++)
            {
                ref readonly var e = ref Unsafe.Add(ref row, k);
                Unsafe.Add(ref scores, e.Label) += e.Weight;
            }
        }

        /// <summary>The same weight under another label (a block's offset added).</summary>
        public Entry WithLabel(int label) => new(label, WeightBits);
    }

    internal static float[] Effective(LabelSet labels, float[] transitions)
    {
        int L = labels.Count;
        var effective = (float[])transitions.Clone();
        for (int p = 0; p < L; p++)
            for (int y = 0; y < L; y++)
                if (!labels.Allowed[p, y]) effective[p * L + y] = float.NegativeInfinity;
        for (int y = 0; y < L; y++)
            if (!labels.AllowedFirst[y]) effective[L * L + y] = float.NegativeInfinity;
        return effective;
    }

    /// <summary>
    /// Scores every position of a sentence: <paramref name="features"/> holds <paramref name="perPosition"/> keys per
    /// position, 0 for none. The keys that are not 0 are gathered first (settled words and the slots of word blocks leave
    /// most of them 0), then the table slots and weight rows of the whole sentence are prefetched before they are read,
    /// so their cache misses overlap instead of queueing one after another. Each position's rows are added in key order.
    /// </summary>
    /// <param name="found">Scratch of at least <c>features.Length</c>.</param>
    /// <param name="positions">Scratch of at least <c>features.Length</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void AddScores(ReadOnlySpan<ulong> features, int perPosition, Span<float> emissions, Span<long> found, Span<int> positions)
    {
        int L = Labels.Count;
        if (_overlay is not null || !System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            for (int i = 0; i * perPosition < features.Length; i++)
                AddScores(features.Slice(i * perPosition, perPosition), emissions.Slice(i * L, L));
            return;
        }
        if (found.Length < features.Length || positions.Length < features.Length) throw new ArgumentException("scratch shorter than the keys");
        if (emissions.Length < (features.Length + perPosition - 1) / perPosition * L) throw new ArgumentException("emissions shorter than the positions", nameof(emissions));
        var map = Map;
        var buckets = map.Buckets; // in registers: the map's fields would be read again for every key
        ref ulong key0 = ref MemoryMarshal.GetReference(features);
        ref long found0 = ref MemoryMarshal.GetReference(found);
        ref int at0 = ref MemoryMarshal.GetReference(positions);
        int count = 0, k = 0, row = 0;
        // A position's keys are tested for 0 sixteen at a time: a settled word's are all 0, and most of the rest are.
        if (Vector256.IsHardwareAccelerated && perPosition <= 16)
            for (; k + 16 <= features.Length; k += perPosition, row += L)
                for (uint nonZero = Vectors.NonZero16(ref Unsafe.Add(ref key0, k)) & ((1u << perPosition) - 1); nonZero != 0; nonZero &= nonZero - 1)
                {
                    ulong key = Unsafe.Add(ref key0, k + BitOperations.TrailingZeroCount(nonZero));
                    buckets.Prefetch(buckets.Of(key));
                    Unsafe.Add(ref found0, count) = (long)key;
                    Unsafe.Add(ref at0, count++) = row;
                }
        for (; k < features.Length; row += L)
            for (int end = Math.Min(k + perPosition, features.Length); k < end; k++)
            {
                ulong key = Unsafe.Add(ref key0, k);
                if (key == 0) continue;
                buckets.Prefetch(buckets.Of(key));
                Unsafe.Add(ref found0, count) = (long)key;
                Unsafe.Add(ref at0, count++) = row;
            }
        ref var entry0 = ref MemoryMarshal.GetArrayDataReference(_entries);
        // The rows found are kept, in order, and the keys the model lacks (a third) dropped without a branch.
        int rows = 0;
        for (int j = 0; j < count; j++)
        {
            long hit = FeatureMap.Find(buckets, (ulong)Unsafe.Add(ref found0, j));
            Unsafe.Add(ref found0, rows) = hit;
            Unsafe.Add(ref at0, rows) = Unsafe.Add(ref at0, j);
            rows += Unsafe.BitCast<bool, byte>(hit != 0);
            map.PrefetchRow(hit, ref entry0, L);
        }
        ref float emission0 = ref MemoryMarshal.GetReference(emissions);
        for (int j = 0; j < rows; j++)
            map.AddRow(Unsafe.Add(ref found0, j), MemoryMarshal.CreateSpan(ref Unsafe.Add(ref emission0, Unsafe.Add(ref at0, j)), L), ref entry0);
    }

    /// <summary>A copy with extra weights laid over this one, for online learning; this instance is unchanged.</summary>
    public LinearModel WithOverlay(float[] transitions, IReadOnlyDictionary<ulong, float[]> overlay) => new(this, transitions, overlay);

    /// <summary>
    /// Folds the overlay into the sparse rows: a plain model, which saves and compiles. The rows of the overlay's keys
    /// are rebuilt (zeros dropped, labels in order, as <see cref="FromDense"/> builds them), every other row is copied;
    /// in one pass over the sorted keys, since an overlay holds a few rows of a model of hundreds of thousands.
    /// </summary>
    public LinearModel Merged()
    {
        if (_overlay is null) return this;
        var overlaid = _overlay.Keys.Order().ToArray();
        int L = Labels.Count;
        var keys = new List<ulong>(Keys.Length + overlaid.Length);
        var rowStart = new List<int>(Keys.Length + overlaid.Length + 1) { 0 };
        var entries = new List<Entry>(_entries.Length + overlaid.Length * L);
        for (int r = 0, o = 0; r < Keys.Length || o < overlaid.Length;)
        {
            ulong key;
            if (o == overlaid.Length || r < Keys.Length && Keys[r] < overlaid[o])
            {
                key = Keys[r];
                foreach (var e in _entries.AsSpan(_rowStart[r], _rowStart[r + 1] - _rowStart[r]))
                    if (IsKept(e.Weight, 0)) entries.Add(e);
                r++;
            }
            else
            {
                key = overlaid[o++];
                var dense = r < Keys.Length && Keys[r] == key ? DenseRow(r++) : new float[L];
                var delta = _overlay[key];
                for (int l = 0; l < L; l++)
                    if (IsKept(dense[l] + delta[l], 0)) entries.Add(new Entry(l, dense[l] + delta[l]));
            }
            if (entries.Count > rowStart[^1])
            {
                keys.Add(key);
                rowStart.Add(entries.Count);
            }
        }
        return new LinearModel(Labels, keys.ToArray(), rowStart.ToArray(), entries.ToArray(), Transitions);
    }

    /// <summary>
    /// The rows of <paramref name="template"/> in <paramref name="sortedKeys"/> (a model's keys): one run, since a key's
    /// template is its top byte.
    /// </summary>
    internal static (int Start, int End) TemplateRows(ulong[] sortedKeys, int template) =>
        (FirstAtLeast(sortedKeys, (ulong)template << 56), FirstAtLeast(sortedKeys, (ulong)(template + 1) << 56));

    private static int FirstAtLeast(ulong[] sortedKeys, ulong key)
    {
        int i = Array.BinarySearch(sortedKeys, key);
        return i >= 0 ? i : ~i;
    }

    /// <summary>Whether a weight stays when a model is frozen: nonzero and of magnitude above <paramref name="threshold"/>.</summary>
    internal static bool IsKept(float weight, float threshold) => MathF.Abs(weight) > threshold && weight != 0;

    /// <summary>Builds a sparse model from dense rows, dropping weights whose magnitude is at most <paramref name="threshold"/>.</summary>
    public static LinearModel FromDense(LabelSet labels, IEnumerable<KeyValuePair<ulong, float[]>> rows, float[] transitions, float threshold)
    {
        var keys = new List<ulong>();
        var starts = new List<int> { 0 };
        var entryLabels = new List<ushort>();
        var entryWeights = new List<float>();
        foreach (var (key, dense) in rows.OrderBy(kv => kv.Key))
        {
            int before = entryWeights.Count;
            for (int l = 0; l < dense.Length; l++)
            {
                if (!IsKept(dense[l], threshold)) continue;
                entryLabels.Add((ushort)l);
                entryWeights.Add(dense[l]);
            }
            if (entryWeights.Count == before) continue;
            keys.Add(key);
            starts.Add(entryWeights.Count);
        }
        return new LinearModel(labels, keys.ToArray(), starts.ToArray(), entryLabels.ToArray(), entryWeights.ToArray(), transitions);
    }
}
