namespace HanLex.Training;

/// <summary>Settings for training; the defaults are what the shipped model was trained with.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;

    /// <summary>Segmentation weights of at most this magnitude are dropped when the model is frozen (HanLP's compress):
    /// at 1 the pd98 model halves in size and loses 0.03 F1.</summary>
    public float PruneThreshold { get; init; } = 1.0f;

    /// <summary>The same for the part-of-speech and entity models, whose weights are spread over many more labels and
    /// lose accuracy at 1 (pd98 POS 96.36 → 96.08).</summary>
    public float TaggingPruneThreshold { get; init; } = 0.05f;

    /// <summary>The part-of-speech model learns only features seen at least this often in training: at 2 the pd98
    /// model keeps 294K of its 555K features (file 5.3 → 3.3 MB, load 20% faster) for −0.03 accuracy. The other
    /// models keep every feature: segmentation loses 0.03 F1 at 2, multi-word entities 0.2 F1 for 0.09 MB.</summary>
    public int PosMinFeatureCount { get; init; } = 2;

    /// <summary>How often a word must have been seen, always with one tag, to be in the part-of-speech model's tag
    /// dictionary (<see cref="Tagging.TagDictionary"/>); 0 for none. On pd98, 20 settles 3,037 words, half the words of
    /// the test text, and tags 4 of its 103,477 gold words fewer right.</summary>
    public int PosSettledMinCount { get; init; } = 20;

    /// <summary>How often a word must have been seen, never inside an entity, to be in the entity model's tag dictionary;
    /// 0 for none. Entities are rarer than tags, and some frequent words are part of one only now and then (集装箱 in a
    /// shipping company's name): on pd98 with gold tags, 20 would settle 3,965 words and cost 1.4 F1 of entities, 100 would
    /// settle 925 and cost 0.07; 200 settles 457 and costs none.</summary>
    public int EntitySettledMinCount { get; init; } = 200;

    /// <summary>Folds for the lexicon features: each fold sees a lexicon built from the others, so the model does not
    /// learn to trust a lexicon that always contains the answer.</summary>
    public int LexiconFolds { get; init; } = 10;

    /// <summary>
    /// Words the segmentation lexicon holds beyond the training corpus's own: a dictionary, or the vocabulary of a
    /// corpus with another standard. Every fold sees them, so the model learns how far to trust them; unlike a user
    /// dictionary at analysis time they are evidence, not constraints. Normalized like the text they are matched
    /// against. pd98 with the CTB6 and SXU training vocabularies: F1 96.63 → 96.72, OOV recall 66.67 → 70.50.
    /// </summary>
    public IReadOnlyCollection<string> LexiconWords { get; init; } = [];

    /// <summary>
    /// Label characters with their word's class (<see cref="Tagging.WordClasses"/>) beside its position when every
    /// training word has a tag: the segmentation model then learns how verbs, names or numbers are built, and its
    /// lexicon carries each word's commonest class. pd98, seeds 1–3: F1 96.63 → 96.91–96.95, OOV recall 66.67 →
    /// 72.29–73.26 (with <see cref="LexiconDropout"/>). Off by default until its decoding is compiled: through the
    /// generic path it segments at a tenth of the six-label model's speed.
    /// </summary>
    public bool WordClasses { get; init; }

    /// <summary>
    /// The share of training sentences a joint segmentation model sees without lexicon features, so that it also
    /// learns to find the words a lexicon lacks: at 0.1 pd98 OOV recall rises from 68.95 to 73.26 for no loss of F1
    /// (an experiment's figures, docs/training.md). Six-label models train with the whole lexicon: they lose F1 by it.
    /// </summary>
    public double LexiconDropout { get; init; } = 0.1;

    /// <summary>
    /// Segmentation models trained, each with its own seed (<see cref="Seed"/>, <see cref="Seed"/> + 1, …), all at once
    /// (sharing the cores), whose weights are averaged into the one saved: the same size and speed, a steadier model,
    /// for that many times the training work and up to that many times its memory.
    /// </summary>
    public int Ensemble { get; init; } = 1;

    /// <summary>Use lexicon features in segmentation.</summary>
    public bool UseLexicon { get; init; } = true;

    /// <summary>Labels whose compounds the entity recognizer learns.</summary>
    public IReadOnlyList<string> EntityLabels { get; init; } = ["nr", "ns", "nt"];

    /// <summary>Receives progress lines (epoch, dev score, time).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives (task, epoch, share of the epoch done) a few hundred times an epoch, for a progress bar.</summary>
    public Action<string, int, double>? Progress { get; init; }

    /// <summary>Receives each epoch's figures, for learning curves.</summary>
    public Action<EpochReport>? EpochDone { get; init; }

    public int Seed { get; init; } = 1;
}

/// <param name="SentencesRight">Share of training sentences decoded right during the epoch, in percent.</param>
/// <param name="Dev">The dev score after the epoch (segmentation F1, tagging accuracy, multi-word entity F1), when a dev set is given.</param>
public sealed record EpochReport(string Task, int Epoch, int Epochs, double SentencesRight, double? Dev, double Seconds);
