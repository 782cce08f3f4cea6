// This file is compiled into both the runtime library and the generator (linked), so the numeric
// values the generator reads from attribute arguments always mean the same thing on both sides.
namespace CompiledNets
{
    /// <summary>The nonlinearity applied to a layer's output.</summary>
    public enum Activation
    {
        /// <summary>Identity: the layer's linear output is passed on unchanged.</summary>
        None = 0,
        /// <summary><c>max(x, 0)</c>.</summary>
        ReLU = 1,
        /// <summary><c>x</c> for positive inputs, <c>0.01 x</c> otherwise.</summary>
        LeakyReLU = 2,
        /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
        Sigmoid = 3,
        /// <summary>Hyperbolic tangent.</summary>
        Tanh = 4,
        /// <summary>Normalized exponentials over the units; allowed on the last layer only.</summary>
        Softmax = 5,
    }

    /// <summary>How a convolution treats the border of its input (Keras semantics).</summary>
    public enum Padding
    {
        /// <summary>No padding: the output shrinks by <c>kernel - 1</c>.</summary>
        Valid = 0,
        /// <summary>Output size <c>ceil(input / stride)</c>; the odd padding row or column goes to the bottom/right.</summary>
        Same = 1,
    }

    /// <summary>The training objective of a network.</summary>
    public enum LossFunction
    {
        /// <summary>Cross-entropy of a softmax output against class-index labels.</summary>
        CategoricalCrossEntropy = 0,
        /// <summary>Binary cross-entropy of sigmoid outputs.</summary>
        BinaryCrossEntropy = 1,
        /// <summary>Mean of squared differences against float targets.</summary>
        MeanSquaredError = 2,
    }
}
