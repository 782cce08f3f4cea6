namespace CompiledNets.Generator.Model;

/// <summary>The attribute a layer was declared with.</summary>
internal enum LayerKind
{
    Input,
    Conv2D,
    MaxPool2D,
    AveragePool2D,
    Flatten,
    Dense,
    Dropout,
    Loss,
}
