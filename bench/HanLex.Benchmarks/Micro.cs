using System.Text;
using BenchmarkDotNet.Attributes;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Models;
using HanLex.Perceptron;
using HanLex.Tagging;
using HanLex.Text;

namespace HanLex.Benchmarks;

/// <summary>
/// The hot paths, one at a time, on one typical news sentence (41 characters), with allocations measured: features,
/// scoring and Viterbi as training runs them, the compiled segmenters (the shipped cascade, its six-label screen alone,
/// its joint model alone), the part-of-speech and entity models on its words, a whole segmentation or analysis call,
/// and the corpus reader.
/// Run: dotnet run -c Release --project bench/HanLex.Benchmarks -- micro [--filter *Viterbi*]
/// </summary>
[MemoryDiagnoser]
public class Micro
{
    private const string Text = "湖北省环保厅和省公安消防总队联合下发通知，要求各地在春节前开展一次消防安全大检查，确保群众过好节日。";
    private const string Annotated = "近日/t ，/w [湖北省/ns 环保厅/nis]/nt 和/c 省/n [公安/n 消防/b 总队/nis]/nt 联合/vd 下发/v 通知/n 。/w";
    private LexicalAnalyzer _analyzer = null!;
    private Segmenter _segmenter = null!, _screen = null!, _joint = null!, _generic = null!;
    private JointDecoder _decoder = null!;
    private char[] _chars = null!;
    private LexiconMatch[] _matches = null!;
    private ulong[] _keys = null!;
    private float[] _emissions = null!, _scores = null!;
    private int[] _labels = null!;
    private Workspace _ws = null!;
    private byte[] _corpus = null!;
    private char[] _wordChars = null!;
    private int[] _wordStarts = null!;
    private ulong[] _wordHashes = null!;
    private int[] _tags = null!;
    private int[] _entityLabels = null!;
    private readonly Range[] _ranges = new Range[Text.Length];

    [GlobalSetup]
    public void Setup()
    {
        _analyzer = DefaultModel.LoadAnalyzer();
        _segmenter = _analyzer.Models.Segmenter;
        _screen = _segmenter.Screen ?? throw new InvalidOperationException("the shipped segmentation model has a screen");
        _joint = new Segmenter(_segmenter.Model, _segmenter.Lexicon);
        _generic = new Segmenter(_segmenter.Model, _segmenter.Lexicon, compile: false);
        _decoder = new JointDecoder(_segmenter.WordClasses!.Length, _segmenter.Model.EffectiveTransitions);
        _chars = Text.Select(CharClassifier.Normalize).ToArray();
        _matches = new LexiconMatch[_chars.Length];
        _segmenter.Lexicon!.Match(_chars, _matches);
        _keys = new ulong[_chars.Length * CharFeatures.Count];
        _emissions = new float[_chars.Length * _segmenter.Model.Labels.Count];
        CharFeatures.Extract(_chars, _matches, _keys, classes: true);
        _segmenter.Model.AddScores(_keys, CharFeatures.Count, _emissions, new long[_keys.Length], new int[_keys.Length]);
        _scores = new float[_emissions.Length];
        _labels = new int[_chars.Length];
        _ws = new Workspace();
        _corpus = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Annotated + "\n", 1000)));
        // The sentence's words as the analyzer segments them, the input of the two tagging models.
        var words = _analyzer.Segment(Text).Words.Select(w => new string(w.Text.Select(CharClassifier.Normalize).ToArray())).ToArray();
        _wordChars = string.Concat(words).ToCharArray();
        _wordStarts = new int[words.Length + 1];
        for (int k = 0; k < words.Length; k++) _wordStarts[k + 1] = _wordStarts[k] + words[k].Length;
        _wordHashes = words.Select(w => FeatureKey.OfText(w)).ToArray();
        _tags = new int[words.Length];
        _entityLabels = new int[words.Length];
        Tag();
    }

    [Benchmark(Description = "features: all templates as keys (training)")]
    public void Features() => CharFeatures.Extract(_chars, _matches, _keys, classes: true);

    [Benchmark(Description = "lexicon matches")]
    public void Lexicon() => _segmenter.Lexicon!.Match(_chars, _matches);

    [Benchmark(Description = "joint model: features + scoring by key + Viterbi (training)")]
    public void Scoring() => _generic.Decode(_chars, default, _labels, _ws);

    [Benchmark(Description = "Viterbi, 66 joint labels")]
    public void Viterbi()
    {
        _emissions.CopyTo(_scores, 0); // the decoder overwrites them with path scores
        _decoder.Decode(_segmenter.Model.EffectiveTransitions, _scores, _chars.Length, _labels, default);
    }

    [Benchmark(Description = "segmenter as shipped: screen, then the joint model where unsure")]
    public void Label() => _segmenter.Label(_chars, default, _labels, _ws);

    [Benchmark(Description = "six-label screen alone, compiled")]
    public void Screen() => _screen.Label(_chars, default, _labels, _ws);

    [Benchmark(Description = "joint model alone, compiled")]
    public void Joint() => _joint.Label(_chars, default, _labels, _ws);

    [Benchmark(Description = "POS: word blocks + lookups + pruned Viterbi, 44 tags")]
    public void Tag() => _analyzer.Models.Tagger!.Tag(_wordChars, _wordStarts, _wordHashes, default, _tags, _ws);

    [Benchmark(Description = "entities: word blocks + tag tables + lookups + Viterbi")]
    public void Recognize() => _analyzer.Models.Recognizer!.Label(_wordChars, _wordStarts, _wordHashes, _tags, _entityLabels, _ws);

    [Benchmark(Description = "LexicalAnalyzer.Segment (whole call)")]
    public Sentence Segment() => _analyzer.Segment(Text);

    [Benchmark(Description = "LexicalAnalyzer.Segment into word ranges")]
    public int SegmentRanges() => _analyzer.Segment(Text, _ranges);

    [Benchmark(Description = "LexicalAnalyzer.Analyze (whole call)")]
    public Sentence Analyze() => _analyzer.Analyze(Text);

    [Benchmark(Description = "corpus reader: 1,000 pd2014 lines")]
    public int Read()
    {
        int words = 0;
        using var reader = CorpusReader.FromStream(new MemoryStream(_corpus), "bench", new CorpusReaderOptions { Format = CorpusFormat.Pd2014 });
        foreach (var s in reader) words += s.Words.Count;
        return words;
    }
}
