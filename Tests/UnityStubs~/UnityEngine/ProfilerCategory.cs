// Stubs of Unity.Profiling.ProfilerCategory and ProfilerMarkerDataUnit (UnityEngine.CoreModule, Unity 2021.3
// signatures, only the members LoopBridge uses).
namespace Unity.Profiling
{
    public readonly struct ProfilerCategory
    {
        readonly ushort m_CategoryId;

        public ProfilerCategory(string categoryName) { m_CategoryId = 0; }

        ProfilerCategory(ushort category) { m_CategoryId = category; }

        public string Name => "Scripts";

        public static ProfilerCategory Scripts => new ProfilerCategory((ushort)1);

        public static implicit operator ushort(ProfilerCategory category) => category.m_CategoryId;
    }

    public enum ProfilerMarkerDataUnit : byte
    {
        Undefined = 0,
        TimeNanoseconds = 1,
        Bytes = 2,
        Count = 3,
        Percent = 4,
        FrequencyHz = 5,
    }
}
