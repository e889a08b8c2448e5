using System;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// Tests written for mutants of Runtime/Core that the suite let survive (Tests/README.md, "Mutation testing").
    /// Each names the mutant it kills.
    /// </summary>
    public sealed class MutationGapTests : LoopTestBase
    {
        // Kills P01 (Preserve: "seen == free || seen == (free | Preserved)" narrowed to "seen == free").
        [Test]
        public void Preserve_CalledTwice_IsIdempotent_BothReadTheSameResult()
        {
            var h = Loop.Run(() => 7).Preserve();
            LoopHandle<int> again = default;
            Assert.DoesNotThrow(() => again = h.Preserve(), "Preserve is documented as idempotent");
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(7));
            Assert.That(again.GetResult(TimeSpan.Zero), Is.EqualTo(7));
        }
    }
}
