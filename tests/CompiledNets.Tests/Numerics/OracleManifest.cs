using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CompiledNets.Tests.Numerics;

/// <summary>One layer's kernel or bias inside the flat parameter vector, named as the oracle names it ("layer0_conv.weight").</summary>
internal sealed record ParameterGroup(string Name, int Offset, int Length);

/// <summary>
/// What a configuration's <c>manifest.json</c> (copied from the shared oracle) says about the network PyTorch ran:
/// sizes, and where each layer's parameters sit in the flat Keras-layout vector. The offsets come from the
/// manifest's layer list, not from the generated code, so a test that slices by them checks the generator's
/// parameter layout instead of trusting it.
/// </summary>
internal sealed class OracleManifest
{
    private readonly IReadOnlyDictionary<string, double> float32Errors;

    private OracleManifest(int inputSize, int classes, int batch, int parameterCount, IReadOnlyList<ParameterGroup> groups,
        IReadOnlyDictionary<string, string> sha256Prefixes, IReadOnlyDictionary<string, double> float32Errors)
    {
        this.float32Errors = float32Errors;
        InputSize = inputSize;
        Classes = classes;
        Batch = batch;
        ParameterCount = parameterCount;
        ParameterGroups = groups;
        Sha256Prefixes = sha256Prefixes;
    }

    public int InputSize { get; }

    public int Classes { get; }

    /// <summary>Samples in the oracle's batch; every mean-loss quantity is averaged over them.</summary>
    public int Batch { get; }

    public int ParameterCount { get; }

    /// <summary>Kernel then bias of every layer with parameters, in layer order, covering the whole vector.</summary>
    public IReadOnlyList<ParameterGroup> ParameterGroups { get; }

    /// <summary>The manifest's file keys ("probs.bin", "keras/input.bin") to the first 16 hex digits of their SHA-256.</summary>
    public IReadOnlyDictionary<string, string> Sha256Prefixes { get; }

    /// <summary>
    /// How far PyTorch's float32 value of a tensor is from the same computation in float64 (max |difference|), as
    /// the manifest measured it: "probs", "loss", "grad_input", "grads/layer0_conv.weight",
    /// "after_sgd_lr0.1_step1/layer0_conv.bias". It is the size of float32 rounding noise in that tensor.
    /// </summary>
    public double Float32Error(string tensor) =>
        float32Errors.TryGetValue(tensor, out double error) ? error
            : throw new KeyNotFoundException($"The oracle manifest has no float32-vs-float64 error for '{tensor}'.");

    public static OracleManifest Load(string configuration)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Oracle", configuration, "manifest.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement;

        int inputSize = root.GetProperty("input_shape_hwc").EnumerateArray().Aggregate(1, (size, d) => size * d.GetInt32());
        int parameterCount = root.GetProperty("parameter_count").GetInt32();
        var groups = new List<ParameterGroup>();
        int offset = 0;
        foreach (JsonElement layer in root.GetProperty("layers").EnumerateArray())
        {
            (int kernel, int bias) = ParameterSizes(layer);
            if (kernel == 0) continue;
            string name = layer.GetProperty("name").GetString()!;
            groups.Add(new ParameterGroup(name + ".weight", offset, kernel));
            groups.Add(new ParameterGroup(name + ".bias", offset + kernel, bias));
            offset += kernel + bias;
        }
        if (offset != parameterCount)
            throw new InvalidDataException($"{path}: the layers hold {offset} parameters, parameter_count says {parameterCount}.");

        var sha256Prefixes = root.GetProperty("files").EnumerateObject()
            .ToDictionary(file => file.Name, file => file.Value.GetProperty("sha256").GetString()!);
        var float32Errors = root.GetProperty("f32_vs_f64_max_abs_error").EnumerateObject()
            .ToDictionary(tensor => tensor.Name, tensor => tensor.Value.GetDouble());
        return new OracleManifest(inputSize, root.GetProperty("classes").GetInt32(), root.GetProperty("batch").GetInt32(),
            parameterCount, groups, sha256Prefixes, float32Errors);
    }

    private static (int Kernel, int Bias) ParameterSizes(JsonElement layer)
    {
        string type = layer.GetProperty("type").GetString()!;
        switch (type)
        {
            case "Conv2D":
                int filters = layer.GetProperty("filters").GetInt32();
                int inputChannels = layer.GetProperty("in_shape_hwc")[2].GetInt32();
                return (layer.GetProperty("kh").GetInt32() * layer.GetProperty("kw").GetInt32() * inputChannels * filters, filters);
            case "Dense":
                int units = layer.GetProperty("units").GetInt32();
                return (layer.GetProperty("in_shape")[0].GetInt32() * units, units);
            case "MaxPool2D" or "AveragePool2D" or "Flatten":
                return (0, 0);
            default:
                // A layer kind this reader does not know might hold parameters: guessing would misplace every later group.
                throw new InvalidDataException($"Unknown layer type '{type}' in an oracle manifest.");
        }
    }
}
