using System.Collections.Immutable;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Decodes one layer attribute into a <see cref="LayerSpec"/>: positional arguments by the chosen
/// constructor's parameter names, named arguments with the attribute's own defaults.
/// </summary>
internal static class AttributeReader
{
    /// <summary>The layer, or null when the attribute does not bind (the compiler reports that itself).</summary>
    public static LayerSpec? Read(AttributeData attribute, int index)
    {
        if (attribute.AttributeClass is null || attribute.AttributeConstructor is null)
            return null;
        foreach (TypedConstant argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Error) return null;
        }
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Value.Kind == TypedConstantKind.Error) return null;
        }

        ImmutableArray<IParameterSymbol> parameters = attribute.AttributeConstructor.Parameters;
        int Positional(string name)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                if (parameters[i].Name == name && attribute.ConstructorArguments[i].Value is int value) return value;
            }
            return 0;
        }
        T Named<T>(string name, T fallback)
        {
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == name && named.Value.Value is T value) return value;
            }
            return fallback;
        }

        switch (attribute.AttributeClass.Name)
        {
            case "InputAttribute":
                return parameters.Length == 1
                    ? new LayerSpec(LayerKind.Input, index, Size: Positional("size"))
                    : new LayerSpec(LayerKind.Input, index, Height: Positional("height"), Width: Positional("width"), Channels: Positional("channels"));
            case "Conv2DAttribute":
            {
                int kernelHeight = parameters.Length == 2 ? Positional("kernelSize") : Positional("kernelHeight");
                int kernelWidth = parameters.Length == 2 ? kernelHeight : Positional("kernelWidth");
                return new LayerSpec(LayerKind.Conv2D, index,
                    Filters: Positional("filters"), KernelHeight: kernelHeight, KernelWidth: kernelWidth,
                    Stride: Named("Stride", 1),
                    Padding: (Padding)Named("Padding", (int)Padding.Valid),
                    Activation: (Activation)Named("Activation", (int)Activation.None));
            }
            case "MaxPool2DAttribute":
            case "AveragePool2DAttribute":
            {
                int poolSize = Positional("poolSize");
                int stride = Named("Stride", 0);
                var kind = attribute.AttributeClass.Name == "MaxPool2DAttribute" ? LayerKind.MaxPool2D : LayerKind.AveragePool2D;
                return new LayerSpec(kind, index, PoolSize: poolSize, Stride: stride == 0 ? poolSize : stride);
            }
            case "FlattenAttribute":
                return new LayerSpec(LayerKind.Flatten, index);
            case "DenseAttribute":
                return new LayerSpec(LayerKind.Dense, index, Units: Positional("units"),
                    Activation: (Activation)Named("Activation", (int)Activation.None));
            case "DropoutAttribute":
            {
                double rate = 0;
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (parameters[i].Name == "rate" && attribute.ConstructorArguments[i].Value is double value) rate = value;
                }
                return new LayerSpec(LayerKind.Dropout, index, Rate: rate);
            }
            case "LossAttribute":
            {
                var function = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int f
                    ? (LossFunction)f
                    : LossFunction.CategoricalCrossEntropy;
                return new LayerSpec(LayerKind.Loss, index, LossFunction: function);
            }
            default:
                return null;
        }
    }
}
