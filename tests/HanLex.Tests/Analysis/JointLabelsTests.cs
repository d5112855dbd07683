using CsCheck;
using HanLex.Corpus;
using HanLex.Lexicon;
using HanLex.Perceptron;
using HanLex.Tagging;
using HanLex.Training;

namespace HanLex.Tests.Analysis;

/// <summary>Joint segmentation labels: word positions paired with word classes, their grammar-aware decoder and lexicon classes.</summary>
public sealed class JointLabelsTests
{
    [Theory]
    [InlineData("nr", "nr"), InlineData("nrf", "nr"), InlineData("ns", "ns"), InlineData("ntc", "nt"), InlineData("nz", "nz")]
    [InlineData("n", "n"), InlineData("Ng", "n"), InlineData("nis", "n"), InlineData("vn", "v"), InlineData("Vg", "v"), InlineData("vshi", "v")]
    [InlineData("ad", "a"), InlineData("b", "a"), InlineData("z", "a"), InlineData("Tg", "m"), InlineData("q", "m"), InlineData("t", "m")]
    [InlineData("l", "i"), InlineData("j", "i"), InlineData("w", "w"), InlineData("p", "f"), InlineData("ude1", "f"), InlineData("", "f")]
    public void Tags_of_both_tag_sets_fall_into_their_word_class(string tag, string wordClass) =>
        Assert.Equal(wordClass, WordClasses.Of(tag));

    [Fact]
    public void A_joint_label_set_is_recognized_and_a_position_set_is_not()
    {
        var joint = WordLabels.Joint(WordClasses.Names);
        Assert.Equal(66, joint.Count);
        Assert.Equal("E-v", joint.Names[WordClasses.IdOf("v") * 6 + WordLabels.E]);
        Assert.Equal(WordClasses.Names, WordLabels.ClassesOf(joint));
        Assert.Null(WordLabels.ClassesOf(WordLabels.Labels));
        Assert.Null(WordLabels.ClassesOf(LabelSchemes.Entities(["nr", "ns", "nt", "nz", "x"]))); // 16 labels, not 6 a class
        Assert.False(joint.Allowed[joint["B-v"], joint["E-n"]]); // a word keeps its class
        Assert.True(joint.Allowed[joint["E-v"], joint["S-n"]]);
    }

    private static readonly Gen<(int K, int N, float[] Emissions, float[] Transitions, ulong[] Allowed)> Problems =
        from k in Gen.Int[1, 10] // word starts past one vector, as with the 11 classes shipped; at most 64 labels, for the full search's masks
        from n in Gen.Int[1, 14]
        // Few distinct values: ties are common, where the two decoders' orders of search would show.
        from emissions in Gen.Int[-4, 4].Select(v => (float)v).Array[n * 6 * k]
        from transitions in Gen.Int[-3, 3].Select(v => (float)v).Array[(6 * k + 1) * 6 * k]
        from allowed in Gen.Frequency((5, Gen.Const(0UL)), (1, Gen.ULong[1, 63])).Array[n]
        select (k, n, emissions, transitions, allowed);

    [Fact]
    public void The_grammar_aware_decoder_finds_the_path_of_the_full_search()
    {
        Problems.Sample(p =>
        {
            var labels = WordLabels.Joint(Enumerable.Range(0, p.K).Select(c => $"c{c}").ToArray());
            var trans = LinearModel.Effective(labels, p.Transitions);
            foreach (var allowed in new[] { [], p.Allowed })
            {
                // The full search takes masks over labels: a position's bits repeated for every class.
                var labelMasks = allowed.Select(m => m == 0 ? 0 : Enumerable.Range(0, 6 * p.K).Where(y => (m & 1UL << (y % 6)) != 0).Aggregate(0UL, (a, y) => a | 1UL << y)).ToArray();
                var full = new int[p.N];
                ViterbiDecoder.Decode(labels, trans, p.Emissions, p.N, full, labelMasks);
                var joint = new int[p.N];
                new JointDecoder(p.K, trans).Decode(trans, (float[])p.Emissions.Clone(), p.N, joint, allowed);
                Assert.Equal(PathScore(full), PathScore(joint));
                if (!float.IsNegativeInfinity(PathScore(full))) Assert.Equal(full, joint);

                // Rows padded to whole vectors, as the kernel scores them, are decoded in place: the padding's finite
                // scores must not leak into the path.
                int L = 6 * p.K, stride = (L + 7) / 8 * 8;
                var padded = new float[p.N * stride];
                for (int i = 0; i < p.N; i++)
                {
                    padded.AsSpan(i * stride, stride).Fill(5f);
                    p.Emissions.AsSpan(i * L, L).CopyTo(padded.AsSpan(i * stride));
                }
                var inPlace = new int[p.N];
                new JointDecoder(p.K, trans).Decode(trans, padded, p.N, inPlace, allowed, stride);
                Assert.Equal(joint, inPlace);

                float PathScore(int[] path)
                {
                    int L = labels.Count;
                    float score = trans[L * L + path[0]];
                    for (int i = 0; i < p.N; i++)
                    {
                        if (i > 0) score += trans[path[i - 1] * L + path[i]];
                        if (allowed.Length > 0 && allowed[i] != 0 && (allowed[i] & 1UL << (path[i] % 6)) == 0) return float.NegativeInfinity;
                        score += p.Emissions[i * L + path[i]];
                    }
                    return labels.AllowedLast[path[^1]] ? score : float.NegativeInfinity;
                }
            }
        });
    }

    [Fact]
    public void The_lexicon_gives_the_class_of_the_longest_word_beginning_and_ending_at_a_position()
    {
        var lexicon = new WordLexicon(["北京", "北京大学", "大学", "学生"], new Dictionary<string, int> { ["北京"] = 6, ["北京大学"] = 7, ["大学"] = 4 });
        var matches = new HanLex.Features.LexiconMatch[5];
        lexicon.Match("北京大学生", matches);
        Assert.Equal((4, 8), ((int)matches[0].Begin, (int)matches[0].BeginClass)); // 北京大学, class 7 stored as 8
        Assert.Equal((2, 7), ((int)matches[1].End, (int)matches[1].EndClass));     // 北京
        Assert.Equal((4, 8), ((int)matches[3].End, (int)matches[3].EndClass));     // 北京大学 beats 大学
        Assert.Equal((2, 0), ((int)matches[3].Begin, (int)matches[3].BeginClass)); // 学生 has no class
        var stored = WordLexicon.FromStored(lexicon.Words.ToArray(), lexicon.StoredClasses.ToArray());
        var again = new HanLex.Features.LexiconMatch[5];
        stored.Match("北京大学生", again);
        Assert.Equal(matches, again);
    }

    private const string Corpus = """
        王/nr 芳/nr 在/p 北京/ns 发表/v 讲话/n 。/w
        北京/ns 大学/n 学生/n 发表/v 文章/n 。/w
        他/r 在/p 大学/n 学习/v 语言学/n 。/w
        """;

    [Fact]
    public void A_tagged_corpus_trains_a_joint_model_that_reproduces_it_and_an_untagged_one_a_model_of_positions()
    {
        var sentences = CorpusReader.ReadAll(Corpus).Where(s => !s.IsEmpty).ToList();
        var options = new TrainingOptions { Epochs = 8, PruneThreshold = 0, LexiconFolds = 2, LexiconDropout = 0, WordClasses = true };
        var joint = new Trainer(options).TrainSegmenter(sentences);
        Assert.Equal(WordClasses.Names, joint.WordClasses);
        Assert.True(joint.Lexicon!.HasClasses);
        var analyzer = new HanLex.Analysis.LexicalAnalyzer(new HanLex.Models.ModelBundle(joint, null, null, new HanLex.Models.ModelInfo("t", "t", "t", DateTimeOffset.UnixEpoch)));
        foreach (var s in sentences)
            Assert.Equal(s.Words.Select(w => w.Text), analyzer.Segment(s.Text).Words.Select(w => w.Text));

        var taught = PeopleDailyParser.Parse("北京/ns 量子/n 计算/vn 研究院/n 发布/v 新/a 成果/n");
        Assert.NotEqual(taught.Words.Select(w => w.Text), analyzer.Segment(taught.Text).Words.Select(w => w.Text));
        analyzer.Learn(taught);
        Assert.Equal(taught.Words.Select(w => w.Text), analyzer.Segment(taught.Text).Words.Select(w => w.Text));
        // Folded into the weights and compiled again: as fast as before learning.
        Assert.Null(analyzer.Models.Segmenter.Model.Overlay);
        Assert.True(analyzer.Models.Segmenter.IsCompiled);

        var dictionary = new UserDictionary([new DictionaryEntry("语言学生")]);
        var constrained = new HanLex.Analysis.LexicalAnalyzer(analyzer.Models, [dictionary]);
        Assert.Contains("语言学生", constrained.Segment("他在大学学习语言学生活。").Words.Select(w => w.Text));

        var ensemble = new Trainer(options with { Ensemble = 2 }).TrainSegmenter(sentences);
        Assert.Equal(66, ensemble.Model.Labels.Count);
        Assert.NotEqual(joint.Model.WeightCount, ensemble.Model.WeightCount); // two members' features, averaged
        var averaged = new HanLex.Analysis.LexicalAnalyzer(new HanLex.Models.ModelBundle(ensemble, null, null, new HanLex.Models.ModelInfo("t", "t", "t", DateTimeOffset.UnixEpoch)));
        foreach (var s in sentences)
            Assert.Equal(s.Words.Select(w => w.Text), averaged.Segment(s.Text).Words.Select(w => w.Text));

        var untagged = sentences.Select(s => Sentence.FromWords(s.Words.Select(w => (w.Text, (string?)null)))).ToList();
        var plain = new Trainer(options).TrainSegmenter(untagged);
        Assert.Null(plain.WordClasses);
        Assert.Equal(6, plain.Model.Labels.Count);
        Assert.False(plain.Lexicon!.HasClasses);
    }
}
