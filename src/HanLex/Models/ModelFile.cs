using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using HanLex.IO;
using HanLex.Lexicon;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Models;

/// <summary>
/// One model in one binary file. A fixed header (magic, format version, task, payload length, XxHash64 of the
/// payload) is checked before anything else; the payload, stored as it is (zlib in format versions 2 and 3, Brotli in
/// version 1, still read), holds the description, feature templates, labels and their grammar, feature keys, sparse
/// weights as half floats, transitions, an optional lexicon and an optional tag dictionary.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// The version written. Version 2 only changed the payload's compression from Brotli to zlib, which decodes it in
    /// half the time: the pd98 models rewritten so take 8.10 MB instead of 8.22 and load in 197–205 ms instead of
    /// 216–235 (medians of ten fresh processes each).
    /// </summary>
    /// <remarks>
    /// Version 3 added the lexicon's word classes (a joint segmentation model's). Version 4 stores the payload
    /// uncompressed: its weights are half floats and hashed keys, which zlib shrank by only 1.4–1.9×, and inflating took
    /// a sixth of the load's CPU. Git and NuGet packages compress files anyway, so a model takes about as much room there
    /// as a compressed one did. Version 5 added the tagging models' tag dictionaries (<see cref="TagDictionary"/>).
    /// Versions 1 to 4 are still read.
    /// </remarks>
    public const int FormatVersion = 5;
    private const int BrotliFormatVersion = 1, PlainLexiconFormatVersion = 2, ZlibFormatVersion = 3, UncompressedFormatVersion = 4;
    private static readonly byte[] Magic = "HANLEXM\0"u8.ToArray();
    private const int HeaderSize = 8 + 2 + 1 + 8 + 8;

    /// <summary>A loaded model: its weights, its lexicon (segmentation), its tag dictionary (tagging; empty in files
    /// of format versions before 5) and what it says about itself.</summary>
    public sealed record Content(LinearModel Model, WordLexicon? Lexicon, ModelInfo Info, TagDictionary Settled);

    public static void Save(string path, ModelTask task, LinearModel model, WordLexicon? lexicon, ModelInfo info, TagDictionary? settled = null)
    {
        model = model.Merged();
        var plain = new MemoryStream();
        using (var w = new BinaryWriter(plain, Encoding.UTF8, leaveOpen: true))
            WritePayload(w, model, lexicon, info, settled ?? TagDictionary.Empty);
        var payload = plain.ToArray();
        using var file = new AtomicFile(path);
        var header = new BinaryWriter(file.Stream, Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write((ushort)FormatVersion);
        header.Write((byte)task);
        header.Write((long)payload.Length);
        header.Write(XxHash64.HashToUInt64(payload));
        header.Write(payload);
        header.Flush();
        file.Commit();
    }

    public static Content Load(string path, ModelTask expected)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new ModelFormatException(path, "no such model file"); }
        catch (DirectoryNotFoundException) { throw new ModelFormatException(path, "no such model file"); }
        return Load(bytes, path, expected);
    }

    /// <summary>Reads a model from its bytes; <paramref name="path"/> names it in errors.</summary>
    public static Content Load(byte[] bytes, string path, ModelTask expected)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFormatException(path, "not a HanLex model file (bad magic bytes)");
        if (bytes.Length < HeaderSize) throw new ModelFormatException(path, "truncated model file (incomplete header)");
        int version = BitConverter.ToUInt16(bytes, 8);
        if (version is not (FormatVersion or UncompressedFormatVersion or ZlibFormatVersion or PlainLexiconFormatVersion or BrotliFormatVersion))
            throw new ModelFormatException(path, $"model format version {version} is not supported (this HanLex reads versions {BrotliFormatVersion} to {FormatVersion}); retrain or use a matching HanLex");
        var task = (ModelTask)bytes[10];
        if (task != expected) throw new ModelFormatException(path, $"is a {task.Name()} model, expected a {expected.Name()} model");
        long length = BitConverter.ToInt64(bytes, 11);
        ulong checksum = BitConverter.ToUInt64(bytes, 19);
        if (length != bytes.Length - HeaderSize)
            throw new ModelFormatException(path, $"truncated or padded model file: header says {length:N0} payload bytes, file has {bytes.Length - HeaderSize:N0}");
        var payload = bytes.AsSpan(HeaderSize);
        if (XxHash64.HashToUInt64(payload) != checksum) throw new ModelFormatException(path, "corrupt model file (checksum mismatch)");
        try
        {
            if (version >= UncompressedFormatVersion)
            {
                var stored = new PayloadReader(payload);
                return ReadPayload(ref stored, task, path, version);
            }
            // Earlier versions: decompress whole, then parse straight from memory (a million small reads through a
            // stream cost more). Sized for the usual ratio (such models expand 1.4–1.9×), so the buffer rarely grows.
            var plain = new MemoryStream(checked((int)Math.Min(int.MaxValue / 2, 2 * length + (1 << 20))));
            var compressed = new MemoryStream(bytes, HeaderSize, (int)length);
            using (Stream decoder = version == BrotliFormatVersion
                       ? new BrotliStream(compressed, CompressionMode.Decompress)
                       : new ZLibStream(compressed, CompressionMode.Decompress))
                decoder.CopyTo(plain, 1 << 20);
            var r = new PayloadReader(plain.GetBuffer().AsSpan(0, (int)plain.Length));
            return ReadPayload(ref r, task, path, version);
        }
        // BrotliStream reports invalid data as InvalidOperationException.
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or InvalidOperationException or ArgumentException or IOException)
        {
            throw new ModelFormatException(path, $"corrupt model payload ({e.Message})");
        }
    }

    private static string TemplatesOf(ModelTask task) => task switch
    {
        ModelTask.Segmentation or ModelTask.Screening => Features.CharFeatures.Templates,
        ModelTask.PartOfSpeech => Features.WordFeatures.Templates,
        _ => Features.EntityFeatures.Templates,
    };

    private static void WritePayload(BinaryWriter w, LinearModel model, WordLexicon? lexicon, ModelInfo info, TagDictionary settled)
    {
        w.Write(info.Description);
        w.Write(info.HanLexVersion);
        w.Write(info.Templates);
        w.Write(info.Created.ToUnixTimeSeconds());
        var labels = model.Labels;
        int L = labels.Count;
        w.Write7BitEncodedInt(L);
        foreach (var name in labels.Names) w.Write(name);
        for (int a = 0; a < L; a++) for (int b = 0; b < L; b++) w.Write(labels.Allowed[a, b]);
        for (int a = 0; a < L; a++) { w.Write(labels.AllowedFirst[a]); w.Write(labels.AllowedLast[a]); }
        foreach (float t in model.Transitions) w.Write(t);
        // Keys are sorted: store gaps as varints.
        w.Write7BitEncodedInt(model.Keys.Length);
        ulong previous = 0;
        foreach (ulong key in model.Keys)
        {
            w.Write7BitEncodedInt64((long)(key - previous));
            previous = key;
        }
        for (int r = 0; r < model.Keys.Length; r++) w.Write7BitEncodedInt(model.RowStart[r + 1] - model.RowStart[r]);
        foreach (var e in model.Entries) w.Write7BitEncodedInt(e.Label);
        foreach (var e in model.Entries) w.Write(e.WeightBits); // half-precision bits, little-endian
        var stored = lexicon is null ? [] : lexicon.Words.Select((word, i) => (Word: word, Class: lexicon.HasClasses ? lexicon.StoredClasses[i] : (byte)0))
            .OrderBy(x => x.Word, StringComparer.Ordinal).ToArray();
        w.Write7BitEncodedInt(stored.Length);
        foreach (var (word, _) in stored) w.Write(word);
        w.Write(lexicon?.HasClasses == true);
        if (lexicon?.HasClasses == true) foreach (var (_, wordClass) in stored) w.Write(wordClass);
        // Sorted words as gaps, then their labels.
        w.Write7BitEncodedInt(settled.Count);
        previous = 0;
        foreach (var (word, _) in settled.Entries)
        {
            w.Write7BitEncodedInt64((long)(word - previous));
            previous = word;
        }
        foreach (var (_, label) in settled.Entries) w.Write7BitEncodedInt(label);
    }

    // Not compiled fully optimized itself: its loops over every weight are the methods below, kept small because all
    // three models wait for their compilation when loading starts.
    private static Content ReadPayload(ref PayloadReader r, ModelTask task, string path, int formatVersion)
    {
        var description = r.ReadString();
        var version = r.ReadString();
        var templates = r.ReadString();
        var created = DateTimeOffset.FromUnixTimeSeconds(r.ReadInt64());
        if (templates != TemplatesOf(task))
            throw new ModelFormatException(path, $"model uses feature templates '{templates}' but this HanLex computes '{TemplatesOf(task)}'; retrain the model");
        int L = r.Read7BitEncodedInt();
        if (L is <= 0 or > ushort.MaxValue) throw new InvalidDataException($"bad label count {L}");
        var names = new string[L];
        for (int i = 0; i < L; i++) names[i] = r.ReadString();
        var allowed = new bool[L, L];
        for (int a = 0; a < L; a++) for (int b = 0; b < L; b++) allowed[a, b] = r.ReadBoolean();
        var first = new bool[L];
        var last = new bool[L];
        for (int a = 0; a < L; a++) { first[a] = r.ReadBoolean(); last[a] = r.ReadBoolean(); }
        var transitions = new float[(L + 1) * L];
        for (int i = 0; i < transitions.Length; i++) transitions[i] = r.ReadSingle();
        int count = r.Read7BitEncodedInt();
        var keys = ReadKeys(ref r, count);
        var rowStart = ReadRowStarts(ref r, count);
        var entries = ReadEntries(ref r, rowStart[count], L);
        int lexiconCount = r.Read7BitEncodedInt();
        var words = ReadWords(ref r, lexiconCount);
        byte[]? classes = formatVersion >= 3 && r.ReadBoolean() ? r.Take(lexiconCount).ToArray() : null;
        var lexicon = lexiconCount > 0 ? WordLexicon.FromStored(words, classes) : null;
        var settled = formatVersion >= FormatVersion ? ReadTagDictionary(ref r, L, task) : TagDictionary.Empty;
        if (!r.AtEnd) throw new InvalidDataException("bytes after the end of the model");
        var labels = new LabelSet(names, allowed, first, last);
        var model = new LinearModel(labels, keys, rowStart, entries, transitions);
        return new Content(model, lexicon, new ModelInfo(description, version, templates, created), settled);
    }

    /// <summary>Sorted keys, stored as gaps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every feature: no slow first tier
    private static ulong[] ReadKeys(ref PayloadReader r, int count)
    {
        var keys = new ulong[count];
        ulong previous = 0;
        for (int i = 0; i < count; i++) keys[i] = previous += (ulong)r.Read7BitEncodedInt64();
        return keys;
    }

    /// <summary>Row starts, stored as row lengths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] ReadRowStarts(ref PayloadReader r, int count)
    {
        var rowStart = new int[count + 1];
        for (int i = 0; i < count; i++) rowStart[i + 1] = rowStart[i] + r.Read7BitEncodedInt();
        return rowStart;
    }

    /// <summary>The labels of all entries, then their weights as half-precision floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LinearModel.Entry[] ReadEntries(ref PayloadReader r, int count, int labelCount)
    {
        if (labelCount > 0x80) return ReadEntriesOfWideLabels(ref r, count, labelCount);
        // Every label below 128 is a one-byte varint, and any other byte is out of range: one pass.
        var entries = Tables.Zeroed<LinearModel.Entry>(count);
        var labels = r.Take(count);
        var weights = r.Take(checked(count * 2));
        for (int i = 0; i < count; i++)
        {
            int l = labels[i];
            if (l >= labelCount) throw new InvalidDataException($"label id {l} out of range");
            entries[i] = LinearModel.Entry.FromBits(l, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(weights.Slice(2 * i, 2)));
        }
        return entries;
    }

    /// <summary>Labels of 128 and up take two varint bytes: two passes. Kept apart, and left to tiered compilation,
    /// since the shipped models (66 labels at most) never need it at load.</summary>
    private static LinearModel.Entry[] ReadEntriesOfWideLabels(ref PayloadReader r, int count, int labelCount)
    {
        var entries = Tables.Zeroed<LinearModel.Entry>(count);
        for (int i = 0; i < count; i++)
        {
            int l = r.Read7BitEncodedInt();
            if ((uint)l >= (uint)labelCount) throw new InvalidDataException($"label id {l} out of range");
            entries[i] = LinearModel.Entry.FromBits(l, 0);
        }
        var halves = r.Take(checked(count * 2));
        for (int i = 0; i < count; i++)
            entries[i] = LinearModel.Entry.FromBits(entries[i].Label, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(halves.Slice(2 * i, 2)));
        return entries;
    }

    private static TagDictionary ReadTagDictionary(ref PayloadReader r, int labelCount, ModelTask task)
    {
        int count = r.Read7BitEncodedInt();
        if (count == 0) return TagDictionary.Empty;
        var words = new ulong[count];
        ulong previous = 0;
        for (int i = 0; i < count; i++) words[i] = previous += (ulong)r.Read7BitEncodedInt64();
        var entries = new (ulong, int)[count];
        for (int i = 0; i < count; i++)
        {
            int label = r.Read7BitEncodedInt();
            if (label >= labelCount || label > TagDictionary.MaxLabel) throw new InvalidDataException($"tag dictionary label id {label} out of range");
            if (task == ModelTask.Entities && label != 0) throw new InvalidDataException("an entity tag dictionary settles words on label O only");
            entries[i] = (words[i], label);
        }
        return TagDictionary.Of(entries);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string[] ReadWords(ref PayloadReader r, int count)
    {
        var words = new string[count];
        for (int i = 0; i < count; i++) words[i] = r.ReadString();
        return words;
    }

    /// <summary>
    /// Reads what <see cref="BinaryWriter"/> wrote (7-bit varints, length-prefixed UTF-8 strings, little-endian
    /// numbers) from memory. Running out of bytes is <see cref="EndOfStreamException"/>, a malformed varint
    /// <see cref="InvalidDataException"/>, both reported as a corrupt payload.
    /// </summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _data.Length - _at) throw new EndOfStreamException("payload ends early");
            var span = _data.Slice(_at, count);
            _at += count;
            return span;
        }

        public bool AtEnd => _at == _data.Length;
        public bool ReadBoolean() => Take(1)[0] != 0;
        public long ReadInt64() => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        public float ReadSingle() => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(Take(4));
        public string ReadString() => Encoding.UTF8.GetString(Take(Read7BitEncodedInt()));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Read7BitEncodedInt()
        {
            long value = Read7BitEncodedInt64();
            if (value is < 0 or > int.MaxValue) throw new InvalidDataException("bad 32-bit varint");
            return (int)value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Read7BitEncodedInt64()
        {
            // A varint is at most ten bytes: with that many left, no byte needs a bounds check, and the position is
            // written once (the reader is passed by reference, so each write would go to memory).
            if (_data.Length - _at >= 10)
            {
                ref byte next = ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), _at);
                ulong value = 0;
                for (int i = 0; i < 10; i++)
                {
                    uint b = Unsafe.Add(ref next, i);
                    value |= (ulong)(b & 0x7F) << (7 * i);
                    if (b < 0x80)
                    {
                        _at += i + 1;
                        return (long)value;
                    }
                }
                throw new InvalidDataException("bad varint");
            }
            ulong result = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (_at >= _data.Length) throw new EndOfStreamException("payload ends early");
                byte b = _data[_at++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return (long)result;
            }
            throw new InvalidDataException("bad varint");
        }
    }
}
