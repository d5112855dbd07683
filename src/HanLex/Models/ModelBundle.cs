using HanLex.Tagging;

namespace HanLex.Models;

/// <summary>
/// The models of one analyzer: segmentation (required), part-of-speech and entities (optional). A model directory
/// holds them as <c>cws.hlm</c>, <c>pos.hlm</c> and <c>ner.hlm</c>. Immutable.
/// </summary>
public sealed record ModelBundle(Segmenter Segmenter, PosTagger? Tagger, EntityRecognizer? Recognizer, ModelInfo Info)
{
    public static ModelBundle Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new ModelFormatException(directory, "no such model directory");
        var cwsPath = Path.Combine(directory, ModelTask.Segmentation.FileName());
        var cws = ModelFile.Load(cwsPath, ModelTask.Segmentation);
        var segmenter = new Segmenter(cws.Model, cws.Lexicon);
        PosTagger? tagger = null;
        EntityRecognizer? recognizer = null;
        var posPath = Path.Combine(directory, ModelTask.PartOfSpeech.FileName());
        if (File.Exists(posPath)) tagger = new PosTagger(ModelFile.Load(posPath, ModelTask.PartOfSpeech).Model);
        var nerPath = Path.Combine(directory, ModelTask.Entities.FileName());
        if (File.Exists(nerPath))
        {
            if (tagger is null) throw new ModelFormatException(nerPath, "an entity model needs a part-of-speech model (pos.hlm) beside it");
            recognizer = new EntityRecognizer(ModelFile.Load(nerPath, ModelTask.Entities).Model);
        }
        return new ModelBundle(segmenter, tagger, recognizer, cws.Info);
    }

    /// <summary>Writes each model present (or only <paramref name="only"/>), atomically, into <paramref name="directory"/>.</summary>
    public void Save(string directory, string description, IReadOnlyCollection<ModelTask>? only = null)
    {
        Directory.CreateDirectory(directory);
        ModelInfo Info(string templates) => new(description, ModelInfo.CurrentVersion, templates, DateTimeOffset.UtcNow);
        bool Wanted(ModelTask task) => only is null || only.Contains(task);
        if (Wanted(ModelTask.Segmentation))
            ModelFile.Save(Path.Combine(directory, ModelTask.Segmentation.FileName()), ModelTask.Segmentation, Segmenter.Model,
            Segmenter.Lexicon, Info(Features.CharFeatures.Templates));
        if (Tagger is not null && Wanted(ModelTask.PartOfSpeech))
            ModelFile.Save(Path.Combine(directory, ModelTask.PartOfSpeech.FileName()), ModelTask.PartOfSpeech, Tagger.Model, null,
                Info(Features.WordFeatures.Templates));
        if (Recognizer is not null && Wanted(ModelTask.Entities))
            ModelFile.Save(Path.Combine(directory, ModelTask.Entities.FileName()), ModelTask.Entities, Recognizer.Model, null,
                Info(Features.EntityFeatures.Templates));
    }
}
