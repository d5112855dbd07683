using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Models;
using HanLex.Perceptron;
using HanLex.Tagging;
using HanLex.Training;

namespace HanLex.Tests.Analysis;

public class TagDictionaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hanlex-settled-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ulong Hash(string word) => FeatureKey.OfText(word);

    [Fact]
    public void Build_settles_the_words_seen_often_enough_and_always_with_one_label()
    {
        (ulong, int)[] occurrences =
        [
            (Hash("的"), 3), (Hash("的"), 3), (Hash("的"), 3),
            (Hash("大学"), 1), (Hash("大学"), 1), (Hash("大学"), 2),
            (Hash("博物馆"), 1), (Hash("博物馆"), 1),
        ];
        var settled = TagDictionary.Build(occurrences, minCount: 3);
        Assert.Equal(3, settled.LabelOf(Hash("的")));
        Assert.Equal(-1, settled.LabelOf(Hash("大学")));  // two labels
        Assert.Equal(-1, settled.LabelOf(Hash("博物馆"))); // seen twice
        Assert.Equal(1, settled.Count);
        Assert.Equal(1, TagDictionary.Build(occurrences, minCount: 2).LabelOf(Hash("博物馆")));
        Assert.Equal(-1, TagDictionary.Build(occurrences, minCount: 2, settles: l => l == 3).LabelOf(Hash("博物馆")));
        Assert.Equal(0, TagDictionary.Build(occurrences, minCount: 0).Count);
    }

    [Fact]
    public void A_dictionary_rejects_a_word_given_twice_and_a_label_it_cannot_keep()
    {
        Assert.Throws<ArgumentException>(() => TagDictionary.Of([(Hash("的"), 1), (Hash("的"), 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TagDictionary.Of([(Hash("的"), TagDictionary.MaxLabel + 1)]));
        var settled = TagDictionary.Of([(Hash("的"), 1), (Hash("了"), 2)]);
        var fewer = settled.Without([Hash("的"), Hash("博物馆")]);
        Assert.Equal(-1, fewer.LabelOf(Hash("的")));
        Assert.Equal(2, fewer.LabelOf(Hash("了")));
        Assert.Equal(1, settled.LabelOf(Hash("的"))); // unchanged
        Assert.Same(settled, settled.Without([Hash("博物馆")]));
    }

    [Fact]
    public void A_dictionary_keeps_its_words_in_order_whatever_order_they_come_in()
    {
        (ulong, int)[] given = [(Hash("了"), 2), (Hash("的"), 1), (Hash("我们"), 3)];
        var copy = ((ulong, int)[])given.Clone();
        var settled = TagDictionary.Of(given);
        Assert.Equal(given.OrderBy(e => e.Item1).ToArray(), settled.Entries.ToArray());
        Assert.Equal(copy, given); // the caller's array is left as it was
        Assert.Equal(3, settled.LabelOf(Hash("我们")));
        Assert.Throws<ArgumentException>(() => TagDictionary.Of(new (ulong, int)[] { (Hash("的"), 1), (Hash("了"), 2), (Hash("的"), 1) }));
    }

    [Fact]
    public void Training_settles_the_tags_and_the_words_outside_entities_of_its_corpus()
    {
        var train = TinyModel.Sentences;
        var tagSet = TinyModel.Models.Tagger!.TagSet;
        var tags = Trainer.TagDictionaryOf(train, tagSet, minCount: 2);
        Assert.Equal(tagSet["w"], tags.LabelOf(Hash("。")));
        Assert.Equal(tagSet["t"], tags.LabelOf(Hash("今天")));
        Assert.Equal(tagSet["ns"], tags.LabelOf(Hash("上海"))); // twice, alone and in an organization
        Assert.Equal(-1, tags.LabelOf(Hash("博物馆"))); // once
        var entities = Trainer.EntityDictionaryOf(train, TinyModel.Models.Recognizer!.Model.Labels, minCount: 2);
        Assert.Equal(0, entities.LabelOf(Hash("。")));
        Assert.Equal(-1, entities.LabelOf(Hash("大学"))); // inside organizations
        Assert.Equal(-1, entities.LabelOf(Hash("北京"))); // once inside one
    }

    /// <summary>The tiny models with a tag dictionary saying 学生 is a verb and 大学 is never inside an entity.</summary>
    private static ModelBundle Settled()
    {
        var models = TinyModel.Models;
        var tagger = new PosTagger(models.Tagger!.Model, TagDictionary.Of([(Hash("学生"), models.Tagger.TagSet["v"])]));
        var recognizer = new EntityRecognizer(models.Recognizer!.Model, tagger.TagSet.Count, TagDictionary.Of([(Hash("大学"), 0)]));
        return models with { Tagger = tagger, Recognizer = recognizer };
    }

    [Fact]
    public void A_settled_word_takes_its_label_whatever_the_weights_say()
    {
        const string text = "北京大学的学生参观了博物馆。";
        var plain = new LexicalAnalyzer(TinyModel.Models).Analyze(text);
        Assert.Equal("n", plain.Words.Single(w => w.Text == "学生").Tag);
        Assert.Contains(plain.Compounds, c => c.Label == "nt" && plain.Words[c.Start].Text == "北京");

        var settled = new LexicalAnalyzer(Settled()).Analyze(text);
        Assert.Equal("v", settled.Words.Single(w => w.Text == "学生").Tag);
        Assert.Empty(settled.Compounds); // 大学 can no longer end the organization
        Assert.Equal(plain.Words.Select(w => w.Text), settled.Words.Select(w => w.Text));
    }

    [Fact]
    public void A_user_dictionary_tag_wins_over_a_settled_one()
    {
        var dictionary = new UserDictionary([new DictionaryEntry("学生", "n")]);
        var sentence = new LexicalAnalyzer(Settled(), [dictionary]).Analyze("王芳是学生。");
        Assert.Equal("n", sentence.Words.Single(w => w.Text == "学生").Tag);
    }

    [Fact]
    public void An_entity_dictionary_settles_label_O_only()
    {
        var model = TinyModel.Models.Recognizer!.Model;
        Assert.Throws<ArgumentException>(() => new EntityRecognizer(model, TinyModel.Models.Tagger!.TagSet.Count, TagDictionary.Of([(Hash("大学"), 1)])));

        // Nor does a file hold another: written around the check, it reads as corrupt.
        var path = Path.Combine(_dir, "ner.hlm");
        ModelFile.Save(path, ModelTask.Entities, model, null, new ModelInfo("bad", ModelInfo.CurrentVersion, EntityFeatures.Templates, DateTimeOffset.UnixEpoch),
            TagDictionary.Of([(Hash("大学"), 1)]));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, ModelTask.Entities));
        Assert.Contains("corrupt model payload", error.Message);
    }

    [Fact]
    public void Tag_dictionaries_are_saved_and_loaded_with_their_models()
    {
        Settled().Save(_dir, "settled");
        var loaded = ModelBundle.Load(_dir);
        Assert.Equal(Settled().Tagger!.Settled.Entries.ToArray(), loaded.Tagger!.Settled.Entries.ToArray());
        Assert.Equal(Settled().Recognizer!.Settled.Entries.ToArray(), loaded.Recognizer!.Settled.Entries.ToArray());
        Assert.Equal(PeopleDailyWriter.Format(new LexicalAnalyzer(Settled()).Analyze("北京大学的学生参观了博物馆。")),
            PeopleDailyWriter.Format(new LexicalAnalyzer(loaded).Analyze("北京大学的学生参观了博物馆。")));
    }

    [Fact]
    public void Learning_a_settled_word_otherwise_unsettles_it()
    {
        var analyzer = new LexicalAnalyzer(Settled());
        var taught = PeopleDailyParser.Parse("[北京/ns 大学/n]/nt 的/u 学生/n 参观/v 了/u 博物馆/n 。/w");
        Assert.NotEqual(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(analyzer.Analyze(taught.Text)));
        analyzer.Learn(taught);
        Assert.Equal(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(analyzer.Analyze(taught.Text)));
        Assert.Equal(-1, analyzer.Models.Tagger!.Settled.LabelOf(Hash("学生")));
        Assert.Equal(-1, analyzer.Models.Recognizer!.Settled.LabelOf(Hash("大学")));
    }
}
