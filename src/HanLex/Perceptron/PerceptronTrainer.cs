using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HanLex.Perceptron;

/// <summary>
/// Decodes <paramref name="emissions"/> (n × L, may be overwritten) under <paramref name="transitions"/> ((L + 1) × L,
/// the grammar folded in as −∞) into <paramref name="output"/>: a grammar-aware stand-in for <see cref="ViterbiDecoder"/>.
/// </summary>
public delegate void SequenceDecoder(float[] transitions, Span<float> emissions, int n, Span<int> output);

/// <summary>One training sequence: feature rows per position (<c>n × F</c>, -1 where absent) and gold labels.</summary>
public sealed record TrainingInstance(int[] Rows, int[] Gold);

/// <summary>
/// Averaged structured perceptron (Collins 2002) over dense weight rows, with the averaging trick of Daumé:
/// keep w and u = Σ c·Δ, so the average is w − u/c without per-weight timestamps. The only mutable weights in HanLex.
/// u is single precision: c counts the sentences learnt (175K in 10 epochs of pd98), so u's sums of c·Δ are exact
/// below 2^24 and larger ones err by parts in 10^7, far below the half precision models keep; in double it was half
/// again as much memory to touch at random.
/// </summary>
/// <param name="features">The rows of the training data's feature keys (<see cref="FeatureRows.Rows"/>), all added
/// before <see cref="Prepare"/>; trainers may share them.</param>
public sealed class PerceptronTrainer(LabelSet labels, int featuresPerPosition, FeatureRows features)
{
    private readonly int L = labels.Count;
    private readonly int F = featuresPerPosition;
    private float[] _w = [];
    private float[] _u = [];
    // w again, saturated to 16 bits, W lanes a row: what scoring reads, in half the bytes, at random over hundreds of
    // megabytes. Weights are sums of ±1, so below 2^15 the copy is exact and so are the scores summed from it.
    private readonly int W = (labels.Count + 7) / 8 * 8;
    private short[] _scoring = [];
    private readonly float[] _t = new float[(labels.Count + 1) * labels.Count];
    private readonly double[] _tu = new double[(labels.Count + 1) * labels.Count];
    private readonly float[] _effective = LinearModel.Effective(labels, new float[(labels.Count + 1) * labels.Count]);
    private long _c = 1;

    public LabelSet Labels => labels;

    /// <summary>Decodes in place of the generic Viterbi (which visits every pair of labels) when set.</summary>
    public SequenceDecoder? Decoder { get; init; }
    public int FeatureCount => features.Keys.Count;

    /// <summary>Allocates the weights once all training features are known.</summary>
    public void Prepare()
    {
        // Rows are read and updated at random over hundreds of megabytes: 2 MB pages, written once in order (Tables.Zeroed).
        _w = Tables.Zeroed<float>(checked(FeatureCount * L));
        _u = Tables.Zeroed<float>(checked(FeatureCount * L));
        _scoring = Tables.Zeroed<short>(checked(FeatureCount * W));
    }

    /// <summary>One perceptron step: decode with the current weights, then move towards gold where they differ.</summary>
    public bool Learn(TrainingInstance x, float[] emissions, int[] predicted)
    {
        int n = x.Gold.Length;
        Emissions(x.Rows, n, emissions);
        if (Decoder is not null) Decoder(_effective, emissions.AsSpan(0, n * L), n, predicted);
        else ViterbiDecoder.Decode(labels, _effective, emissions.AsSpan(0, n * L), n, predicted);
        bool wrong = false;
        for (int i = 0; i < n; i++)
        {
            int g = x.Gold[i], p = predicted[i];
            int gPrev = i == 0 ? L : x.Gold[i - 1], pPrev = i == 0 ? L : predicted[i - 1];
            if (g != p)
            {
                wrong = true;
                var rows = x.Rows.AsSpan(i * F, F);
                foreach (int r in rows)
                {
                    if (r < 0) continue;
                    Add(r, g, 1);
                    Add(r, p, -1);
                }
            }
            if (g != p || gPrev != pPrev)
            {
                AddTransition(gPrev * L + g, 1);
                AddTransition(pPrev * L + p, -1);
            }
        }
        _c++;
        return !wrong;
    }

    private void Add(int row, int label, float d)
    {
        int index = row * L + label;
        float w = _w[index] += d;
        _u[index] += _c * d;
        _scoring[row * W + label] = (short)Math.Clamp(w, short.MinValue, short.MaxValue);
    }

    private void AddTransition(int index, float d)
    {
        _t[index] += d;
        _tu[index] += _c * d;
        _effective[index] += d; // gold and predicted paths are grammatical, so this slot is finite
    }

    /// <summary>Each position's scores: the sum of its features' rows (of the 16-bit copy). Rows lie at random in
    /// hundreds of megabytes, so the next position's are asked for while this one's are summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Emissions(int[] rows, int n, float[] emissions)
    {
        if (n == 0) return;
        ref short w = ref MemoryMarshal.GetArrayDataReference(_scoring);
        Span<nint> starts = stackalloc nint[F];
        Span<float> last = stackalloc float[8];
        Prefetch(rows.AsSpan(0, F));
        for (int i = 0; i < n; i++)
        {
            if (i + 1 < n) Prefetch(rows.AsSpan((i + 1) * F, F));
            int count = 0;
            foreach (int r in rows.AsSpan(i * F, F)) if (r >= 0) starts[count++] = (nint)r * W;
            var present = starts[..count];
            ref float target = ref emissions[i * L];
            if (!Avx2.IsSupported)
            {
                for (int l = 0; l < L; l++)
                {
                    int sum = 0;
                    foreach (nint start in present) sum += Unsafe.Add(ref w, start + l);
                    Unsafe.Add(ref target, l) = sum;
                }
                continue;
            }
            // Eight labels at a time across the rows, summed exactly in 32-bit integers held in a register.
            for (int j = 0; j < W; j += 8)
            {
                var sum = Vector256<int>.Zero;
                foreach (nint start in present) sum = Avx2.Add(sum, Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref w, (nuint)(start + j))));
                var scores = Avx.ConvertToVector256Single(sum);
                if (j + 8 <= L) scores.StoreUnsafe(ref target, (nuint)j);
                else
                {
                    scores.CopyTo(last);
                    last[..(L - j)].CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, j), L - j));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void Prefetch(ReadOnlySpan<int> rows)
    {
        if (!Sse.IsSupported) return;
        ref short w = ref MemoryMarshal.GetArrayDataReference(_scoring);
        int bytes = W * sizeof(short);
        foreach (int r in rows)
        {
            if (r < 0) continue;
            // Pinned (Tables.Zeroed) or not, a prefetch never faults: a stale address costs nothing.
            byte* row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref w, (nint)r * W));
            for (int b = 0; b < bytes; b += 64) Sse.Prefetch0(row + b);
            Sse.Prefetch0(row + bytes - 1);
        }
    }

    /// <summary>The averaged weights so far: w − u / c.</summary>
    /// <param name="final">No more learning: the average is taken in place of w and the trainer lets go of its
    /// arrays, so an ensemble's members end holding one array each, not four (199801: 6.2 → 4.9 GB peak).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per model, over every weight
    public AveragedWeights Average(bool final = false)
    {
        float inverse = (float)(1.0 / _c);
        var rows = final ? _w : GC.AllocateUninitializedArray<float>(_w.Length);
        ref float w = ref MemoryMarshal.GetArrayDataReference(_w), u = ref MemoryMarshal.GetArrayDataReference(_u), to = ref MemoryMarshal.GetArrayDataReference(rows);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= rows.Length; i += 8)
                (Vector256.LoadUnsafe(ref w, (nuint)i) - Vector256.LoadUnsafe(ref u, (nuint)i) * inverse).StoreUnsafe(ref to, (nuint)i);
        for (; i < rows.Length; i++) rows[i] = _w[i] - _u[i] * inverse;
        if (final) (_w, _u, _scoring) = ([], [], []);
        var t = new float[_t.Length];
        for (int j = 0; j < t.Length; j++) t[j] = (float)(_t[j] - _tu[j] / _c);
        return new AveragedWeights(labels, features, rows, t);
    }
}
