using System.Runtime.CompilerServices;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Named-entity recognition over words and their tags: B-x/M-x/E-x/O labels that rebuild multi-word compounds
/// such as <c>[湖北省/ns 环保厅/nis]/nt</c>. Single-word entities keep the tag the POS model gave them.
/// </summary>
public sealed class EntityRecognizer
{
    private readonly LinearModel _model;
    private readonly int _tagCount;

    /// <summary>
    /// The weights of the templates over tags alone (<see cref="EntityFeatures.TagSlotsBefore"/>, <see cref="EntityFeatures.TagSlotsAfter"/>)
    /// summed for every pair of tags, so that those six of the sixteen lookups a word become two adds from small tables:
    /// <c>_before[(previous, tag)]</c> and <c>_after[(tag, next)]</c>, L weights each.
    /// </summary>
    private readonly float[] _before, _after;

    /// <summary>The model's rows by word (null when it has none, see <see cref="KeyBlocks.Build"/>): the three templates
    /// of a word as itself and as a neighbour in one lookup.</summary>
    private readonly KeyBlocks? _words;

    /// <summary>
    /// Whether the grammar leaves a word whose neighbours are both O (or the sentence's edges) no label but O, as
    /// B/M/E does: an entity here spans two words or more. Such a word need not be scored (<see cref="SettleLoneWords"/>).
    /// </summary>
    private readonly bool _loneWordsAreO;

    /// <param name="tagCount">The size of the part-of-speech tag set whose tag ids <see cref="Label"/> gets (id
    /// <paramref name="tagCount"/> itself stands for a tag outside it).</param>
    /// <param name="settled">Words never inside an entity in training, labelled O without scoring (a model trained
    /// before there were tag dictionaries has none). Only label O is settled: a B, M or E forced on a word could leave
    /// its neighbours no labelling the grammar allows.</param>
    public EntityRecognizer(LinearModel model, int tagCount, TagDictionary? settled = null)
    {
        if (settled is not null)
            foreach (var (_, label) in settled.Entries)
                if (label != 0) throw new ArgumentException("an entity tag dictionary settles words on label O (0) only", nameof(settled));
        _model = model;
        _tagCount = tagCount;
        Settled = settled ?? TagDictionary.Empty;
        var entityLabels = new string[(model.Labels.Count - 1) / 3]; // B-x, M-x, E-x after O, for each type x
        for (int k = 0; k < entityLabels.Length; k++) entityLabels[k] = model.Labels.Names[1 + 3 * k][2..];
        EntityLabels = entityLabels;
        _words = KeyBlocks.Build(model, EntityFeatures.WordTemplates, EntityFeatures.WordReach);
        (_before, _after) = TagPairRows(model, tagCount);
        _loneWordsAreO = OnlyOBetweenOs(model.Labels);
    }

    private static bool OnlyOBetweenOs(LabelSet labels)
    {
        for (int y = 1; y < labels.Count; y++)
        {
            bool afterO = labels.Allowed[0, y] || labels.AllowedFirst[y], beforeO = labels.Allowed[y, 0] || labels.AllowedLast[y];
            if (afterO && beforeO) return false;
        }
        return true;
    }

    /// <summary>
    /// Settles on O every unsettled word between settled ones (or a sentence edge): they are all O, so the grammar
    /// leaves it nothing else (<see cref="_loneWordsAreO"/>). Only runs of two unsettled words or more are scored.
    /// Returns how many words are left unsettled.
    /// </summary>
    private static int SettleLoneWords(Span<int> settled)
    {
        int n = settled.Length, open = 0;
        for (int i = 0; i < n; i++)
        {
            if (settled[i] >= 0) continue;
            // A neighbour settled here was settled before: a lone word's neighbours are not lone themselves.
            if ((i == 0 || settled[i - 1] >= 0) && (i == n - 1 || settled[i + 1] >= 0)) settled[i] = 0;
            else open++;
        }
        return open;
    }

    /// <summary>The tag-only rows summed for every (previous, tag) and every (tag, next), see <see cref="_before"/>.</summary>
    // Its own method, compiled optimized at once, so that the constructor around it is not: it runs once per load.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float[] Before, float[] After) TagPairRows(LinearModel model, int tagCount)
    {
        int d = tagCount + 2, L = model.Labels.Count; // as TagIndexes
        var before = new float[d * d * L];
        var after = new float[d * d * L];
        Span<ulong> keys = stackalloc ulong[EntityFeatures.Count];
        Span<ulong> picked = stackalloc ulong[EntityFeatures.TagSlotsBefore.Length];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                int tagA = TagOf(a, tagCount), tagB = TagOf(b, tagCount);
                // (a, b) as (previous, tag), then as (tag, next).
                EntityFeatures.TagKeys(tagA, tagB, EntityFeatures.NoTag, keys);
                Pick(keys, EntityFeatures.TagSlotsBefore, picked);
                model.AddScores(picked, before.AsSpan((a * d + b) * L, L));
                EntityFeatures.TagKeys(EntityFeatures.NoTag, tagA, tagB, keys);
                Pick(keys, EntityFeatures.TagSlotsAfter, picked);
                model.AddScores(picked[..EntityFeatures.TagSlotsAfter.Length], after.AsSpan((a * d + b) * L, L));
            }
        return (before, after);
    }

    private static void Pick(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> slots, Span<ulong> picked)
    {
        for (int i = 0; i < slots.Length; i++) picked[i] = keys[slots[i]];
    }

    /// <summary>Tag ids 0 to the tag count, and <see cref="EntityFeatures.NoTag"/> last.</summary>
    private int TagIndexes => _tagCount + 2;

    private static int TagOf(int index, int tagCount) => index == tagCount + 1 ? EntityFeatures.NoTag : index;

    private int IndexOf(int tag) => tag == EntityFeatures.NoTag ? _tagCount + 1 : (uint)tag <= (uint)_tagCount ? tag : -1;

    public LinearModel Model => _model;

    /// <summary>The words never inside an entity in training: labelled O without scoring.</summary>
    public TagDictionary Settled { get; }

    /// <summary>The entity labels, in label-id order (label 1 + 3k is B of label k).</summary>
    public IReadOnlyList<string> EntityLabels { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> tags,
        Span<int> labels, Workspace ws)
    {
        int n = hashes.Length;
        if (n == 0) return;
        var settled = ws.SettledFor(n);
        bool any = Settled.Settle(hashes, default, settled);
        if (_loneWordsAreO)
        {
            int open = SettleLoneWords(settled);
            if (open == 0)
            {
                labels[..n].Clear(); // every word O
                return;
            }
            any = open < n;
        }
        ViterbiDecoder.Decode(_model, Score(text, starts, hashes, tags, ws, any ? settled : default), n, labels[..n], forced: any ? settled : default);
    }

    /// <summary>Every word's score for every label (words × labels), in the workspace; a word with a label in
    /// <paramref name="settled"/> keeps only the weights of its word blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal Span<float> Score(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> tags, Workspace ws,
        ReadOnlySpan<int> settled = default)
    {
        int n = hashes.Length;
        var keys = ws.KeysFor(n * EntityFeatures.Count);
        EntityFeatures.Extract(text, starts, hashes, tags, keys, settled);
        int L = _model.Labels.Count, d = TagIndexes;
        var padded = ws.EmissionsFor((n + 2 * KeyBlocks.Padding) * L);
        var emissions = padded.Slice(KeyBlocks.Padding * L, n * L);
        // As in the tagger: the word slots from the blocks, the edge markers around the sentence included.
        _words?.AddWords(hashes, padded, keys, EntityFeatures.Count, EntityFeatures.WordSlots, ref ws.Subjects, ref ws.Found);
        for (int i = 0; i < n; i++)
        {
            if (!settled.IsEmpty && settled[i] >= 0) continue; // no keys
            int previous = IndexOf(i > 0 ? tags[i - 1] : EntityFeatures.NoTag), tag = IndexOf(tags[i]);
            int next = IndexOf(i + 1 < n ? tags[i + 1] : EntityFeatures.NoTag);
            if ((previous | tag | next) < 0) continue; // a tag id outside the tables: its keys are looked up instead
            var scores = emissions.Slice(i * L, L);
            Vectors.AddInto(scores, _before.AsSpan((previous * d + tag) * L, L));
            Vectors.AddInto(scores, _after.AsSpan((tag * d + next) * L, L));
            var k = keys.Slice(i * EntityFeatures.Count, EntityFeatures.Count);
            foreach (int slot in EntityFeatures.TagSlotsBefore) k[slot] = 0;
            foreach (int slot in EntityFeatures.TagSlotsAfter) k[slot] = 0;
        }
        ws.AddScores(_model, keys, EntityFeatures.Count, emissions);
        return emissions;
    }

    /// <summary>Turns labels into compounds over word ranges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public List<Compound> Compounds(ReadOnlySpan<int> labels)
    {
        var result = new List<Compound>();
        int start = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            if (y == 0) { start = -1; continue; }
            int role = (y - 1) % 3;
            if (role == 0) start = i;
            else if (role == 2 && start >= 0)
            {
                result.Add(new Compound(start, i - start + 1, EntityLabels[(y - 1) / 3]));
                start = -1;
            }
        }
        return result;
    }

    /// <summary>Gold labels of a sentence: entity compounds of two or more words become B/M/E, the rest O.</summary>
    public static int[] GoldLabels(Sentence sentence, LabelSet labels)
    {
        var gold = new int[sentence.Words.Count];
        foreach (var c in sentence.Compounds)
        {
            if (c.Count < 2 || !labels.TryGetId("B-" + c.Label, out int b)) continue;
            gold[c.Start] = b;
            for (int i = c.Start + 1; i < c.End - 1; i++) gold[i] = b + 1;
            gold[c.End - 1] = b + 2;
        }
        return gold;
    }
}
