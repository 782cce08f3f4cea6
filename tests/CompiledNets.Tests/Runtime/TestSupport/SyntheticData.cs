namespace CompiledNets.Tests.Runtime;

/// <summary>Small, linearly separable classification data for the training-loop tests.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// <paramref name="perClass"/> samples of each of <see cref="SoftmaxRegression.Classes"/> classes, sorted by
    /// class (so an unshuffled epoch sees one class at a time). Class c sits around 2 * e_c in the first three
    /// features, with uniform noise in [-0.5, 0.5) on all four: far enough apart for a linear classifier.
    /// </summary>
    public static Dataset Clusters(int perClass, int seed = 7, int features = SoftmaxRegression.Inputs)
    {
        int count = perClass * SoftmaxRegression.Classes;
        var images = new float[count * features];
        var labels = new int[count];
        var random = new SeededRandom(seed);
        for (int n = 0; n < count; n++)
        {
            int label = n / perClass;
            labels[n] = label;
            for (int f = 0; f < features; f++)
            {
                float center = f == label ? 2f : 0f;
                images[n * features + f] = center + random.NextSingle() - 0.5f;
            }
        }
        return new Dataset(images, labels, height: 1, width: 1, channels: features);
    }
}
