using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// The segmentation model compiled for decoding. A character's unigram weights at all five window offsets, and a
/// bigram's at all four, are gathered into one block each, so each character and each bigram is looked up once
/// instead of once per position that sees it; the other templates go through the model as usual. Built once at
/// load; read-only.
/// </summary>
public sealed class CharNgramScorer
{
    private const int UnigramOffsets = 5, BigramOffsets = 4;
    private readonly int L;
    private readonly float[] _bias;
    private readonly int[] _unigramRow = new int[65536]; // char → block + 1 (0: none)
    private readonly float[] _unigrams;
    private readonly FeatureMap _bigramRows;
    private readonly float[] _bigrams;

    /// <summary>The model restricted to the templates scored per position.</summary>
    public LinearModel Residual { get; }

    public CharNgramScorer(LinearModel model)
    {
        L = model.Labels.Count;
        _bias = new float[L];
        var uni = new Dictionary<char, float[]>();
        var bi = new Dictionary<uint, float[]>();
        var residual = new List<KeyValuePair<ulong, float[]>>();
        for (int r = 0; r < model.Keys.Length; r++)
        {
            ulong key = model.Keys[r];
            int template = (int)(key >> 56);
            char a = (char)(key >> 32), b = (char)(key >> 16);
            var dense = model.DenseRow(r);
            // Offset of the target position from the n-gram's first character.
            int offset = template switch
            {
                CharFeatures.Unigram0 => 0,
                CharFeatures.UnigramP1 => 1,
                CharFeatures.UnigramN1 => -1,
                CharFeatures.UnigramP2 => 2,
                CharFeatures.UnigramN2 => -2,
                CharFeatures.BigramP1C => 1,
                CharFeatures.BigramCN1 => 0,
                CharFeatures.BigramP2P1 => 2,
                CharFeatures.BigramN1N2 => -1,
                _ => int.MinValue,
            };
            if (template == 1)
                dense.CopyTo(_bias, 0);
            else if (template <= CharFeatures.UnigramN2)
                Add(uni, a, UnigramOffsets, offset + 2, dense);
            else if (template <= CharFeatures.BigramN1N2)
                Add(bi, (uint)a << 16 | b, BigramOffsets, offset + 1, dense);
            else
                residual.Add(new(key, dense));
        }
        _unigrams = new float[uni.Count * UnigramOffsets * L];
        int row = 0;
        foreach (var (c, block) in uni)
        {
            block.CopyTo(_unigrams, row * UnigramOffsets * L);
            _unigramRow[c] = ++row;
        }
        var bigramKeys = bi.Keys.Select(k => (ulong)k | 1UL << 40).ToArray(); // the high bit keeps keys from being 0
        var starts = Enumerable.Range(0, bigramKeys.Length + 1).ToArray();
        _bigramRows = new FeatureMap(bigramKeys, starts);
        _bigrams = new float[bi.Count * BigramOffsets * L];
        int i = 0;
        foreach (var block in bi.Values) block.CopyTo(_bigrams, i++ * BigramOffsets * L);
        Residual = LinearModel.FromDense(model.Labels, residual, model.Transitions, threshold: 0f);
    }

    private static ulong BigramKey(ReadOnlySpan<char> chars, int j)
    {
        int n = chars.Length;
        char a = j < 0 ? CharFeatures.Bos : j >= n ? CharFeatures.Eos : chars[j];
        char b = j + 1 < 0 ? CharFeatures.Bos : j + 1 >= n ? CharFeatures.Eos : chars[j + 1];
        return (ulong)((uint)a << 16 | b) | 1UL << 40;
    }

    private void Add<TKey>(Dictionary<TKey, float[]> table, TKey key, int offsets, int slot, float[] weights) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var block)) table[key] = block = new float[offsets * L];
        weights.CopyTo(block, slot * L);
    }

    /// <summary>Adds the bias, unigram and bigram weights of every position of <paramref name="chars"/> to <paramref name="emissions"/>.</summary>
    public void AddScores(ReadOnlySpan<char> chars, Span<float> emissions)
    {
        int n = chars.Length;
        for (int i = 0; i < n; i++) Vectors.AddInto(emissions.Slice(i * L, L), _bias);
        // Characters -2 .. n+1 of the padded sentence, each scattered to the positions whose window holds it.
        for (int j = -2; j < n + 2; j++)
        {
            char c = j < 0 ? CharFeatures.Bos : j >= n ? CharFeatures.Eos : chars[j];
            int row = _unigramRow[c];
            if (row == 0) continue;
            var block = _unigrams.AsSpan((row - 1) * UnigramOffsets * L, UnigramOffsets * L);
            for (int d = -2; d <= 2; d++)
            {
                int target = j + d;
                if ((uint)target < (uint)n) Vectors.AddInto(emissions.Slice(target * L, L), block.Slice((d + 2) * L, L));
            }
        }
        // Bigrams miss the cache: prefetch every slot of the sentence first so the misses overlap.
        for (int j = -2; j <= n; j++) _bigramRows.Prefetch(BigramKey(chars, j));
        for (int j = -2; j <= n; j++)
        {
            if (!_bigramRows.TryFind(BigramKey(chars, j), out int start, out _)) continue;
            var block = _bigrams.AsSpan(start * BigramOffsets * L, BigramOffsets * L);
            for (int d = -1; d <= 2; d++)
            {
                int target = j + d;
                if ((uint)target < (uint)n) Vectors.AddInto(emissions.Slice(target * L, L), block.Slice((d + 1) * L, L));
            }
        }
    }
}
