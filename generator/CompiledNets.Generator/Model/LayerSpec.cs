namespace CompiledNets.Generator.Model;

/// <summary>
/// One layer attribute as the user wrote it, before any shape checking. Unused fields are zero.
/// <see cref="AttributeIndex"/> is the attribute's position among the class's layer attributes, so
/// diagnostics can point back at it without this model holding a <c>Location</c>.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int AttributeIndex,
    int Height = 0,
    int Width = 0,
    int Channels = 0,
    int Size = 0,
    int Filters = 0,
    int KernelHeight = 0,
    int KernelWidth = 0,
    int PoolSize = 0,
    int Stride = 0,
    int Units = 0,
    double Rate = 0,
    Padding Padding = Padding.Valid,
    Activation Activation = Activation.None,
    LossFunction LossFunction = LossFunction.CategoricalCrossEntropy);
