using System.Text.Json;
using HanLex.Training;

namespace HanLex.Cli.Commands;

/// <summary>
/// The per-epoch figures of a training run, kept beside the models as <c>training.json</c> so that
/// <c>eval --report</c> can draw the learning curves later.
/// </summary>
internal sealed record TrainingHistory(string Description, List<EpochReport> Epochs)
{
    public const string FileName = "training.json";

    public static TrainingHistory? Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path)) return null;
        TrainingHistory? history;
        try
        {
            history = Json.Deserialize<TrainingHistory>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a training history ({e.Message})");
        }
        if (history?.Epochs is null || history.Epochs.Any(e => e is null || e.Task is null))
            throw new InvalidDataException($"{path}: not a training history (no epochs)");
        return history;
    }

    /// <summary>Merges this run into the directory's history: epochs of the tasks trained now replace earlier ones.</summary>
    public void Save(string modelDirectory)
    {
        var tasks = Epochs.Select(e => e.Task).ToHashSet();
        IEnumerable<EpochReport> kept;
        try
        {
            kept = Load(modelDirectory)?.Epochs.Where(e => !tasks.Contains(e.Task)) ?? [];
        }
        catch (InvalidDataException)
        {
            kept = []; // an unreadable history of our own is replaced, not kept
        }
        var merged = this with { Epochs = kept.Concat(Epochs).OrderBy(e => e.Task, StringComparer.Ordinal).ThenBy(e => e.Epoch).ToList() };
        using var file = new HanLex.IO.AtomicFile(Path.Combine(modelDirectory, FileName));
        Json.Serialize(file.Stream, merged);
        file.Commit();
    }
}
