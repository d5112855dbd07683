using System.Runtime.InteropServices;

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
/// </summary>
/// <param name="minCount">With more than 1, <see cref="Rows"/> adds only keys that <see cref="Count"/> saw that often.</param>
public sealed class PerceptronTrainer(LabelSet labels, int featuresPerPosition, int minCount = 1)
{
    private readonly Dictionary<ulong, int> _rows = new();
    private Dictionary<ulong, int>? _counts = minCount > 1 ? new() : null;
    private readonly List<ulong> _keys = new();
    private readonly int L = labels.Count;
    private readonly int F = featuresPerPosition;
    private float[] _w = [];
    private double[] _u = [];
    private readonly float[] _t = new float[(labels.Count + 1) * labels.Count];
    private readonly double[] _tu = new double[(labels.Count + 1) * labels.Count];
    private readonly float[] _effective = LinearModel.Effective(labels, new float[(labels.Count + 1) * labels.Count]);
    private long _c = 1;

    public LabelSet Labels => labels;

    /// <summary>Decodes in place of the generic Viterbi (which visits every pair of labels) when set.</summary>
    public SequenceDecoder? Decoder { get; init; }
    public int FeatureCount => _keys.Count;

    /// <summary>First pass over the training data when there is a minimum count: counts each key's occurrences.</summary>
    public void Count(ReadOnlySpan<ulong> keys)
    {
        if (_counts is null) return;
        foreach (ulong key in keys)
            if (key != 0) CollectionsMarshal.GetValueRefOrAddDefault(_counts, key, out _)++;
    }

    /// <summary>
    /// Maps keys to rows; with <paramref name="add"/>, unseen keys get new rows (training data only), unless they
    /// were counted fewer than the minimum count: those stay without a row, as if never seen.
    /// </summary>
    public int[] Rows(ReadOnlySpan<ulong> keys, bool add)
    {
        var rows = new int[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            ulong key = keys[i];
            if (key == 0) { rows[i] = -1; continue; }
            if (_rows.TryGetValue(key, out int r)) rows[i] = r;
            else if (add && (_counts is null || _counts.GetValueOrDefault(key) >= minCount))
            {
                rows[i] = _keys.Count;
                _rows[key] = _keys.Count;
                _keys.Add(key);
            }
            else rows[i] = -1;
        }
        return rows;
    }

    /// <summary>Allocates the weights once all training features are known.</summary>
    public void Prepare()
    {
        _counts = null;
        _w = new float[_keys.Count * L];
        _u = new double[_keys.Count * L];
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
                    Add(r * L + g, 1);
                    Add(r * L + p, -1);
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

    private void Add(int index, float d)
    {
        _w[index] += d;
        _u[index] += _c * d;
    }

    private void AddTransition(int index, float d)
    {
        _t[index] += d;
        _tu[index] += _c * d;
        _effective[index] += d; // gold and predicted paths are grammatical, so this slot is finite
    }

    private void Emissions(int[] rows, int n, float[] emissions)
    {
        Array.Clear(emissions, 0, n * L);
        var w = _w.AsSpan();
        for (int i = 0; i < n; i++)
        {
            var target = emissions.AsSpan(i * L, L);
            for (int f = 0; f < F; f++)
            {
                int r = rows[i * F + f];
                if (r < 0) continue;
                Vectors.AddInto(target, w.Slice(r * L, L));
            }
        }
    }

    /// <summary>The averaged weights as a frozen sparse model, dropping weights of magnitude at most <paramref name="threshold"/>.</summary>
    /// <param name="project">When given, the key each row is scored under in the model: rows that meet are summed
    /// (before pruning), and a row projected to 0 is dropped.</param>
    public LinearModel Average(float threshold, Func<ulong, ulong>? project = null)
    {
        double c = _c;
        var rows = new List<KeyValuePair<ulong, float[]>>(_keys.Count);
        var merged = project is null ? null : new Dictionary<ulong, float[]>();
        for (int r = 0; r < _keys.Count; r++)
        {
            var dense = new float[L];
            bool any = false;
            for (int l = 0; l < L; l++)
            {
                int idx = r * L + l;
                float v = (float)(_w[idx] - _u[idx] / c);
                dense[l] = v;
                any |= MathF.Abs(v) > threshold;
            }
            if (merged is not null)
            {
                // Pruned only once summed: two small weights can add up to one that is kept.
                ulong key = project!(_keys[r]);
                if (key == 0) continue;
                if (merged.TryGetValue(key, out var sum)) Vectors.AddInto(sum, dense);
                else merged[key] = dense;
            }
            else if (any) rows.Add(new(_keys[r], dense));
        }
        var t = new float[_t.Length];
        for (int i = 0; i < t.Length; i++) t[i] = (float)(_t[i] - _tu[i] / c);
        return LinearModel.FromDense(labels, merged ?? (IEnumerable<KeyValuePair<ulong, float[]>>)rows, t, threshold);
    }
}
