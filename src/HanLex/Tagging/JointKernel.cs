using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;
using static HanLex.Tagging.SegmentationKernel;

namespace HanLex.Tagging;

/// <summary>
/// A joint segmentation model (<see cref="WordLabels.Joint"/>) and its classed lexicon compiled for decoding, as
/// <see cref="SegmentationKernel"/> compiles a six-label one: every template is a table indexed by the characters, the
/// pair or the lexicon match themselves, so no feature key is built or hashed. A position has 66 scores with the 11
/// word classes, not 6, so rows are of two kinds, by what pd98 text reads (436 weights a character in all):
/// <list type="bullet">
/// <item>dense rows of all labels, padded to whole 256-bit vectors, for the templates whose rows hold many weights: the
/// five unigrams in half precision (9 weights a row on average, 22–26 for the characters text has), and in single
/// precision the rows summed at load: the class trigram with the five-gram around it, the three lexicon-class
/// templates, and the bias with the lexicon lengths. Eight rows a position;</item>
/// <item>sparse (label, weight) blocks for the pair, skip-pair and lexicon-character templates, whose rows hold two
/// weights on average over 70K pairs: dense, they would take 40 times the memory.</item>
/// </list>
/// The scores then go through <see cref="JointDecoder"/>. Built once at load; read-only and thread-safe.
/// </summary>
internal sealed class JointKernel
{
    private const int Lanes = 8;
    private const int BeginClass = 20, EndClass = 21, BothClasses = 22;

    private readonly int L, W, _classValues;            // labels, lanes a dense row (L rounded up), lexicon class values (K + 1)
    private readonly JointDecoder _decoder;
    private readonly float[] _transitions;
    private readonly int[] _charBlock = new int[65536]; // char → offset of its unigram block (0: the zero block)
    private readonly ushort[] _unigrams;                 // half precision, five slots of W a character, blocks cache-line aligned
    private readonly PairMap _pairs;                     // pair → (offset of its bigram block << 8) | (word class + 1) << 2 | lexicon flags
    private readonly PairMap _skips;                     // (previous, next) around a position → offset of its block
    private readonly PairMap _lexiconChars;              // lexicon lengths × character → offset of its block
    private readonly uint[] _blocks;                     // sparse rows, see SparseBlocks
    // Class five-gram → offset of its row: the five-gram's weights with its middle trigram's, or the trigram's alone.
    private readonly int[] _classFiveGrams = new int[ClassCount * ClassCount * ClassCount * ClassCount * ClassCount];
    private readonly float[] _classRows;
    private readonly float[] _lengthRows;                // bias + begin, end and (begin, end, middle) lengths, by (begin, end, middle)
    private readonly float[] _lexiconClassRows;          // by (begin length, begin class, end length, end class): the three class templates summed
    private readonly KeyMap? _prefixes;                  // rolling hashes of lexicon prefixes of 3+ characters → flags and class
    private readonly bool _hasLexicon, _hasClasses;

    /// <summary>
    /// Whether <paramref name="model"/>, with <paramref name="classes"/> the word classes of its labels
    /// (<see cref="WordLabels.ClassesOf"/>), can be compiled: joint labels of at most <see cref="MaxClasses"/> classes,
    /// plain weights (no learned overlay). The lexicon-class table grows with the cube of the classes: 3 MB at 11, 9 at
    /// 16, 68 at 32.
    /// </summary>
    public static bool Supports(LinearModel model, string[]? classes) =>
        model.Overlay is null && classes is { Length: <= MaxClasses };

    public const int MaxClasses = 16;

    /// <param name="classes">The word classes of the model's labels (<see cref="WordLabels.ClassesOf"/>).</param>
    public JointKernel(LinearModel model, WordLexicon? lexicon, string[] classes)
    {
        if (!Supports(model, classes)) throw new ArgumentException($"model has an overlay, or is not a joint segmentation model of at most {MaxClasses} classes", nameof(model));
        L = model.Labels.Count;
        W = (L + Lanes - 1) / Lanes * Lanes;
        _classValues = classes.Length + 1;
        _transitions = model.EffectiveTransitions;
        _decoder = new JointDecoder(classes.Length, _transitions);

        // Pass 1 numbers the characters, pairs and keyed rows that have weights and counts each sparse slot's
        // entries, so that pass 2 writes every weight straight to its place, led by each row's number. Each pass is a
        // method of its own, compiled optimized at once: the load runs them before tiered compilation would.
        var keys = model.Keys;
        var rowIds = new int[keys.Length]; // a sparse row's pair, skip pair or lexicon key number
        var pairs = KernelMaps.NumberPairs(keys, CharFeatures.BigramP1C, CharFeatures.BigramN1N2, rowIds);
        var skips = KernelMaps.NumberPairs(keys, SkipBigram, SkipBigram, rowIds);
        var lexiconCharIds = new PairMap(1024);
        var lexiconKeys = new List<uint> { 0 };
        var counts = new SlotCounts[] { new(pairs.Length), new(skips.Length), new(1024) }; // pairs, skip pairs, lexicon characters
        var (charCount, fiveGrams) = NumberRows(model, rowIds, lexiconCharIds, lexiconKeys, counts);
        int stride = (UnigramSlots * W + 31) / 32 * 32;
        _unigrams = Tables.ZeroedAligned<ushort>((charCount + 1) * stride, out int firstBlock);
        PlaceBlocks(_charBlock, firstBlock, stride);
        var blocks = new SparseBlocks(counts);
        var dense = new DenseRows(W, _classValues, fiveGrams);
        int skipBase = pairs.Length - 1, lexiconCharBase = skipBase + skips.Length - 1;
        CopyWeights(model, rowIds, skipBase, lexiconCharBase, blocks, dense);
        _blocks = blocks.Blocks;
        if (_blocks.Length >= 1 << 23) throw new NotSupportedException("too many sparse weights for a joint segmentation kernel");
        (_lengthRows, _classRows, _lexiconClassRows) = SumRows(dense, lexicon, fiveGrams);
        // The final tables map straight to block offsets: one lookup, then one block of a cache line or two.
        var offsets = blocks.Offsets;
        _pairs = KernelMaps.Build(pairs, id => offsets[id] << 8);
        _skips = KernelMaps.Build(skips, id => offsets[skipBase + id]);
        _lexiconChars = KernelMaps.Build(CollectionsMarshal.AsSpan(lexiconKeys), id => offsets[lexiconCharBase + id]);
        _hasLexicon = lexicon is not null;
        _hasClasses = lexicon?.HasClasses == true;
        if (lexicon is not null) _prefixes = IndexLexicon(lexicon, _pairs);
        _pairs = _pairs.Compacted();
    }

    /// <summary>Pass 1: numbers the characters (unigram blocks), lexicon keys (from 1) and class five-grams that have
    /// weights; counts the entries of each sparse slot (pairs and skip pairs numbered already).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    private (int Chars, int FiveGrams) NumberRows(LinearModel model, int[] rowIds, PairMap lexiconCharIds, List<uint> lexiconKeys, SlotCounts[] counts)
    {
        var keys = model.Keys;
        var rowStart = model.RowStart;
        int charCount = 0, fiveGrams = 0;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
            int template = (int)(key >> 56), entries = rowStart[r + 1] - rowStart[r];
            switch (template)
            {
                case >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2:
                    if (_charBlock[a] == 0) _charBlock[a] = ++charCount;
                    break;
                case >= CharFeatures.BigramP1C and <= CharFeatures.BigramN1N2:
                    counts[0].Add(rowIds[r], BigramSlot(template), entries);
                    break;
                case SkipBigram:
                    counts[1].Add(rowIds[r], 0, entries);
                    break;
                case MiddleChar or BeginEndChar:
                    counts[2].Add(rowIds[r] = KernelMaps.Number(lexiconCharIds, lexiconKeys, LexiconCharKey(key)), 0, entries);
                    break;
                case ClassFiveGram:
                    _classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)] = ++fiveGrams * W;
                    break;
            }
        }
        return (charCount, fiveGrams);
    }

    /// <summary>Pass 2: copies each row's weights to where decoding reads them, or to the dense rows summed after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    private void CopyWeights(LinearModel model, int[] rowIds, int skipBase, int lexiconCharBase, SparseBlocks blocks, DenseRows dense)
    {
        var keys = model.Keys;
        var rowStart = model.RowStart;
        var entries = model.Entries;
        int cv = _classValues;
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            int template = (int)(key >> 56);
            var row = entries.Slice(rowStart[r], rowStart[r + 1] - rowStart[r]);
            char a = (char)(key >> 32), b = (char)(key >> 16), c = (char)key;
            switch (template)
            {
                case >= CharFeatures.Unigram0 and <= CharFeatures.UnigramN2:
                    int at = _charBlock[a] + UnigramSlot(template) * W;
                    foreach (var e in row) _unigrams[at + e.Label] = e.WeightBits;
                    continue;
                case >= CharFeatures.BigramP1C and <= CharFeatures.BigramN1N2:
                    blocks.Add(rowIds[r], BigramSlot(template), row);
                    continue;
                case SkipBigram:
                    blocks.Add(skipBase + rowIds[r], 0, row);
                    continue;
                case MiddleChar or BeginEndChar:
                    blocks.Add(lexiconCharBase + rowIds[r], 0, row);
                    continue;
            }
            (float[]? target, int offset) = template switch
            {
                1 => (dense.Bias, 0),
                ClassTrigram => (dense.Trigrams, ((a * ClassCount + b) * ClassCount + c) * W),
                ClassFiveGram => (dense.FiveGrams, _classFiveGrams[ClassFiveGramIndex(a >> 8, a & 0xFF, b, c >> 8, c & 0xFF)]),
                BeginClass when b < cv => (dense.BeginClasses, (a * cv + b) * W),
                EndClass when b < cv => (dense.EndClasses, (a * cv + b) * W),
                BothClasses when a < cv && b < cv => (dense.BothClasses, (a * cv + b) * W),
                BeginLength => (dense.Begin, a * W),
                EndLength => (dense.End, a * W),
                AllLengths => (dense.Lengths, ((a * LengthValues + b) * LengthValues + c) * W),
                _ => (null, 0),
            };
            if (target is null) continue;
            foreach (var e in row) target[offset + e.Label] = e.Weight;
        }
    }

    /// <summary>The rows of templates that are read together, summed once: bias and lexicon lengths; class trigrams and
    /// five-grams (each five-gram index then leads to its row); the three lexicon-class templates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load: no slow first tier
    private (float[] Lengths, float[] Classes, float[] LexiconClasses) SumRows(DenseRows dense, WordLexicon? lexicon, int fiveGrams)
    {
        // The bias and a position's lexicon length rows summed once per (begin, end, middle); 0 (no word) has no length feature.
        var lengthRows = new float[LengthValues * LengthValues * LengthValues * W];
        for (int bl = 0; bl < LengthValues; bl++)
            for (int el = 0; el < LengthValues; el++)
                for (int ml = 0; ml < LengthValues; ml++)
                {
                    int at = ((bl * LengthValues + el) * LengthValues + ml) * W;
                    for (int y = 0; y < L; y++)
                        lengthRows[at + y] = dense.Bias[y] + (lexicon is null ? 0 : dense.Lengths[at + y] + (bl > 0 ? dense.Begin[bl * W + y] : 0) + (el > 0 ? dense.End[el * W + y] : 0));
                }
        // Class n-grams: each five-gram's row with its middle trigram's added, every other five-gram led to its trigram.
        const int Trigrams = ClassCount * ClassCount * ClassCount;
        var classRows = new float[(Trigrams + fiveGrams) * W];
        dense.Trigrams.CopyTo(classRows, 0);
        for (int index = 0; index < _classFiveGrams.Length; index++)
        {
            int middle = MiddleTrigram(index);
            int fiveGram = _classFiveGrams[index];
            if (fiveGram == 0)
            {
                _classFiveGrams[index] = middle * W;
                continue;
            }
            int at = (Trigrams - 1) * W + fiveGram; // five-gram rows are numbered from 1
            _classFiveGrams[index] = at;
            for (int y = 0; y < L; y++) classRows[at + y] = dense.FiveGrams[fiveGram + y] + dense.Trigrams[middle * W + y];
        }
        // Lexicon classes: one row per (begin length, begin class, end length, end class), and a zero row last for a
        // lexicon without classes, whose positions have none of these features.
        int cv = _classValues;
        var lexiconClassRows = new float[(LengthValues * cv * LengthValues * cv + 1) * W];
        if (lexicon?.HasClasses == true)
            for (int bl = 0; bl < LengthValues; bl++)
                for (int bc = 0; bc < cv; bc++)
                    for (int el = 0; el < LengthValues; el++)
                        for (int ec = 0; ec < cv; ec++)
                        {
                            int at = LexiconClassRow(bl, bc, el, ec);
                            for (int y = 0; y < L; y++)
                                lexiconClassRows[at + y] = (bc > 0 ? dense.BeginClasses[(bl * cv + bc) * W + y] : 0)
                                    + (ec > 0 ? dense.EndClasses[(el * cv + ec) * W + y] : 0) + dense.BothClasses[(bc * cv + ec) * W + y];
                        }
        return (lengthRows, classRows, lexiconClassRows);
    }

    /// <summary>Pass 2's dense targets for the templates summed at load (<see cref="SumRows"/>), W lanes a row.</summary>
    private sealed class DenseRows(int W, int classValues, int fiveGrams)
    {
        public readonly float[] Bias = new float[W];
        public readonly float[] Trigrams = new float[ClassCount * ClassCount * ClassCount * W];
        public readonly float[] FiveGrams = new float[(fiveGrams + 1) * W];
        public readonly float[] BeginClasses = new float[LengthValues * classValues * W];
        public readonly float[] EndClasses = new float[LengthValues * classValues * W];
        public readonly float[] BothClasses = new float[classValues * classValues * W];
        public readonly float[] Begin = new float[LengthValues * W];
        public readonly float[] End = new float[LengthValues * W];
        public readonly float[] Lengths = new float[LengthValues * LengthValues * LengthValues * W];
    }

    private int LexiconClassRow(int beginLength, int beginClass, int endLength, int endClass) =>
        (((beginLength * _classValues + beginClass) * LengthValues + endLength) * _classValues + endClass) * W;

    /// <summary>The class trigram (previous, this, next) in the middle of a class five-gram index.</summary>
    private static int MiddleTrigram(int index)
    {
        int n1 = index / ClassCount % ClassCount, c = index / (ClassCount * ClassCount) % ClassCount, p1 = index / (ClassCount * ClassCount * ClassCount) % ClassCount;
        return (p1 * ClassCount + c) * ClassCount + n1;
    }

    /// <summary>The lexicon: two-character words and prefixes are flags on the pair table, longer prefixes rolling hashes;
    /// a word's class (id + 1) rides beside its flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load: no slow first tier
    private static KeyMap IndexLexicon(WordLexicon lexicon, PairMap pairs)
    {
        var prefixes = new KeyMap(1024);
        var classes = lexicon.StoredClasses;
        int w = 0;
        foreach (var word in lexicon.Words)
        {
            int wordClass = classes.IsEmpty ? 0 : classes[w];
            w++;
            pairs.Or((uint)word[0] << 16 | word[1], word.Length == 2 ? IsWord | wordClass << 2 : IsPrefix);
            ulong h = WordLexicon.Step(WordLexicon.Step(WordLexicon.Seed, word[0]), word[1]);
            for (int i = 2; i < word.Length; i++)
            {
                h = WordLexicon.Step(h, word[i]);
                prefixes.Or(h, i == word.Length - 1 ? IsWord | wordClass << 2 : IsPrefix);
            }
        }
        return prefixes.Compacted();
    }

    /// <summary>Labels <paramref name="chars"/> (normalized) with the model's joint labels, as <see cref="Segmenter"/> does.</summary>
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws) =>
        Label(chars, 0, chars.Length, allowed, labels, ws);

    /// <summary>
    /// Labels characters <paramref name="from"/>..<paramref name="to"/> of <paramref name="sentence"/> (normalized) as a
    /// sentence of their own, except that the character templates read the sentence's characters around them; lexicon
    /// words are those inside the span. <paramref name="allowed"/> and <paramref name="labels"/> are the span's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> sentence, int from, int to, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        var chars = sentence[from..to];
        int n = chars.Length;
        if (n == 0) return;
        var padded = Prepare(sentence, from, to, ws);
        // Hash lookups first, all prefetched, so their cache misses overlap; the table slots before the unigram rows,
        // whose dozen lines a character would otherwise fill the core's queue of misses ahead of them: the slots lead
        // to further reads, the rows are only added.
        var pairs = ws.Pairs.AsSpan(0, n + 3);
        var skips = ws.Skips.AsSpan(0, n);
        for (int j = 0; j < n + 3; j++) _pairs.Prefetch(Pair(padded[j], padded[j + 1]));
        for (int i = 0; i < n; i++) _skips.Prefetch(Pair(padded[i + 1], padded[i + 3]));
        FindBlocksAndClasses(padded, _charBlock, ws);
        PrefetchUnigramRows(ws.Blocks.AsSpan(0, n + 4));
        for (int j = 0; j < n + 3; j++) Prefetch(_blocks, (pairs[j] = _pairs.Find(Pair(padded[j], padded[j + 1]))) >> 8, 16);
        if (_hasLexicon) PrefetchWalks(chars, pairs, _prefixes!); // as the screen does
        for (int i = 0; i < n; i++) Prefetch(_blocks, skips[i] = _skips.Find(Pair(padded[i + 1], padded[i + 3])), 4);
        var matches = ws.Lexicon.AsSpan(0, n);
        var lexiconChars = ws.LexiconChars.AsSpan(0, 2 * n);
        matches.Clear();
        lexiconChars.Clear();
        if (_hasLexicon)
        {
            MatchLexicon(chars, pairs, matches, _prefixes!, classMask: 0x3F);
            FindLexiconChars(chars, matches, _lexiconChars, _blocks, 8, lexiconChars);
        }
        var scores = ws.UnclearedEmissionsFor(n * W); // Score writes every lane of every row
        Score(ws.Blocks.AsSpan(0, n + 4), ws.Classes.AsSpan(0, n + 4), pairs, skips, matches, lexiconChars, scores);
        _decoder.Decode(_transitions, scores, n, labels, allowed, W);
    }

    /// <summary>The lines of the five unigram rows each position reads (<see cref="Score"/>): a span is short, and they
    /// come from a table larger than the core's own caches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchUnigramRows(ReadOnlySpan<int> charBlocks)
    {
        ref ushort unigrams = ref MemoryMarshal.GetArrayDataReference(_unigrams);
        for (int j = 0; j < charBlocks.Length; j++)
        {
            if (charBlocks[j] == 0) continue;
            // Character j is read at slot k by position j + k − 4 (padded index j − 2 + k − 2): only slots inside the span.
            int first = Math.Max(0, 4 - j), last = Math.Min(UnigramSlots - 1, charBlocks.Length - 1 - j);
            Tables.PrefetchLines(ref Unsafe.Add(ref unigrams, charBlocks[j] + first * W), (last - first + 1) * W);
        }
    }

    /// <summary>Every position's L scores, each row W floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Score(ReadOnlySpan<int> charBlocks, ReadOnlySpan<byte> classes, ReadOnlySpan<int> pairs, ReadOnlySpan<int> skips, ReadOnlySpan<LexiconMatch> matches,
        ReadOnlySpan<int> lexiconChars, Span<float> scores)
    {
        int n = skips.Length, W = this.W, V = W / Lanes;
        ref ushort unigrams = ref MemoryMarshal.GetArrayDataReference(_unigrams);
        ref int fiveGrams = ref MemoryMarshal.GetArrayDataReference(_classFiveGrams);
        ref uint blocks = ref MemoryMarshal.GetArrayDataReference(_blocks);
        for (int i = 0; i < n; i++)
        {
            ref float row = ref scores[i * W];
            var m = matches[i];
            int cp2 = classes[i], cp1 = classes[i + 1], cc = classes[i + 2], cn1 = classes[i + 3], cn2 = classes[i + 4];
            ref float lengthRow = ref _lengthRows[((m.Begin * LengthValues + m.End) * LengthValues + m.Middle) * W];
            ref float classRow = ref _classRows[Unsafe.Add(ref fiveGrams, ClassFiveGramIndex(cp2, cp1, cc, cn1, cn2))];
            // Padded index of character i is i + 2; each offset's row sits at its slot in the block.
            nuint u0 = (nuint)(charBlocks[i] + 4 * W), u1 = (nuint)(charBlocks[i + 1] + 3 * W), u2 = (nuint)(charBlocks[i + 2] + 2 * W),
                u3 = (nuint)(charBlocks[i + 3] + W), u4 = (nuint)charBlocks[i + 4];
            // A class beyond the model's counts as none; a lexicon without classes reads the last row, all zeros.
            int bc = _hasClasses && m.BeginClass < _classValues ? m.BeginClass : 0, ec = _hasClasses && m.EndClass < _classValues ? m.EndClass : 0;
            ref float lexiconClassRow = ref _lexiconClassRows[_hasClasses ? LexiconClassRow(m.Begin, bc, m.End, ec) : _lexiconClassRows.Length - W];
            for (int v = 0; v < V; v++)
            {
                nuint o = (nuint)(v * Lanes);
                var sum = Vector256.LoadUnsafe(ref lengthRow, o) + Vector256.LoadUnsafe(ref classRow, o) + Vector256.LoadUnsafe(ref lexiconClassRow, o);
                var unigram = HalfPrecision.Load8(ref unigrams, u0 + o);
                unigram = HalfPrecision.AddLoad8(unigram, ref unigrams, u1 + o);
                unigram = HalfPrecision.AddLoad8(unigram, ref unigrams, u2 + o);
                unigram = HalfPrecision.AddLoad8(unigram, ref unigrams, u3 + o);
                sum += HalfPrecision.AddLoad8(unigram, ref unigrams, u4 + o);
                sum.StoreUnsafe(ref row, o);
            }
            // Pairs starting at characters i-2 .. i+1 are pairs[i .. i+3].
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i] >> 8, 3);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 1] >> 8, 2);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 2] >> 8, 1);
            SparseBlocks.AddTo(ref row, ref blocks, pairs[i + 3] >> 8, 0);
            SparseBlocks.AddTo(ref row, ref blocks, skips[i], 0);
            SparseBlocks.AddTo(ref row, ref blocks, lexiconChars[2 * i], 0);
            SparseBlocks.AddTo(ref row, ref blocks, lexiconChars[2 * i + 1], 0);
        }
    }

    /// <summary>
    /// Sparse rows laid out so that one lookup leads to one short run of memory: a block per pair (its four bigram
    /// slots), per skip pair or per lexicon key, holding a header of its slots' entry counts (a byte each) and then
    /// the slots' entries, each a half-precision weight and a label in 32 bits (weight high: see <see cref="HalfPrecision.HighToSingle"/>). Offset 0 is an empty block.
    /// </summary>
    private sealed class SparseBlocks
    {
        internal const int Slots = 4;
        private readonly int[] _next; // per block × slot: where its next entry goes

        /// <summary>Lays the blocks out from their slots' entry counts: pairs first, then skips, then lexicon characters.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load: no slow first tier
        public SparseBlocks(SlotCounts[] kinds)
        {
            int blockCount = 1;
            foreach (var kind in kinds) blockCount += kind.Ids;
            Offsets = new int[blockCount];
            _next = new int[blockCount * Slots];
            var headers = new uint[blockCount];
            int size = 1, block = 1;
            foreach (var kind in kinds)
                for (int id = 1; id <= kind.Ids; id++, block++)
                {
                    Offsets[block] = size++;
                    for (int slot = 0; slot < Slots; slot++)
                    {
                        int count = kind.Count(id, slot);
                        if (count > byte.MaxValue) throw new InvalidOperationException("more than 255 weights in a sparse row");
                        headers[block] |= (uint)count << (8 * slot);
                        _next[block * Slots + slot] = size;
                        size += count;
                    }
                }
            Blocks = Tables.Zeroed<uint>(size);
            for (int b = 1; b < blockCount; b++) Blocks[Offsets[b]] = headers[b];
        }

        /// <summary>Each block's offset in <see cref="Blocks"/>.</summary>
        public int[] Offsets { get; }

        public uint[] Blocks { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int block, int slot, ReadOnlySpan<LinearModel.Entry> weights)
        {
            ref int next = ref _next[block * Slots + slot];
            foreach (var e in weights) Blocks[next++] = (uint)e.WeightBits << 16 | (uint)e.Label;
        }

        /// <summary>Adds slot <paramref name="slot"/> of the block at <paramref name="offset"/> to the scores.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddTo(ref float scores, ref uint blocks, int offset, int slot)
        {
            if (offset == 0) return;
            // Unchecked: offsets come from the tables built with the blocks, labels are below L (checked at model load).
            uint header = Unsafe.Add(ref blocks, offset);
            int skip = (int)(header & ((1u << (8 * slot)) - 1));
            skip = (skip & 0xFF) + ((skip >> 8) & 0xFF) + ((skip >> 16) & 0xFF);
            nuint count = header >> (8 * slot) & 0xFF;
            HalfPrecision.AddPacked(ref scores, ref Unsafe.Add(ref blocks, offset + 1 + skip), count);
        }
    }

    /// <summary>The entries of each sparse slot of one kind of block, by id (from 1) as pass 1 meets them.</summary>
    private sealed class SlotCounts(int ids)
    {
        private int[] _counts = new int[(ids + 1) * SparseBlocks.Slots];

        /// <summary>The highest id counted.</summary>
        public int Ids { get; private set; }

        public void Add(int id, int slot, int entries)
        {
            int at = id * SparseBlocks.Slots + slot;
            if (at >= _counts.Length) Array.Resize(ref _counts, 2 * _counts.Length);
            _counts[at] += entries;
            Ids = Math.Max(Ids, id);
        }

        public int Count(int id, int slot) => _counts[id * SparseBlocks.Slots + slot];
    }
}
