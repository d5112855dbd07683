namespace HanLex.Training;

/// <summary>Settings for training; the defaults are what the shipped model was trained with.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;

    /// <summary>Averaged weights of at most this magnitude are dropped when the model is frozen (HanLP's compress).</summary>
    public float PruneThreshold { get; init; } = 1.0f;

    /// <summary>Folds for the lexicon features: each fold sees a lexicon built from the others, so the model does not
    /// learn to trust a lexicon that always contains the answer.</summary>
    public int LexiconFolds { get; init; } = 10;

    /// <summary>Use lexicon features in segmentation.</summary>
    public bool UseLexicon { get; init; } = true;

    /// <summary>Labels whose compounds the entity recognizer learns.</summary>
    public IReadOnlyList<string> EntityLabels { get; init; } = ["nr", "ns", "nt"];

    /// <summary>Receives progress lines (epoch, dev score, time).</summary>
    public Action<string>? Log { get; init; }

    public int Seed { get; init; } = 1;
}
