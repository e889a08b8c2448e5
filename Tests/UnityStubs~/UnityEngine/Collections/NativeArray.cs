// Stubs of Unity.Collections.NativeArray<T>, Allocator, NativeArrayOptions and the ReadOnly/WriteOnly
// attributes (signatures of UnityCsReference Runtime/Export/NativeArray/NativeArray.cs and
// Runtime/Export/Collections/*, only the members LoopBridge's code, tests and samples use). Backed by a
// managed array; copies share it, as copies of a NativeArray share its memory. Use after Dispose throws
// ObjectDisposedException, as Unity's safety checks do; UnityStubs.Jobs.LiveNativeArrays counts the
// arrays not yet disposed, so a test can prove nothing leaked. Test scaffolding only.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace Unity.Collections
{
    public enum Allocator
    {
        Invalid = 0,
        None = 1,
        Temp = 2,
        TempJob = 3,
        Persistent = 4,
        AudioKernel = 5,
    }

    public enum NativeArrayOptions
    {
        UninitializedMemory = 0,
        ClearMemory = 1,
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter)]
    public sealed class ReadOnlyAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter)]
    public sealed class WriteOnlyAttribute : Attribute
    {
    }

    public struct NativeArray<T> : IDisposable, IEnumerable<T>, IEquatable<NativeArray<T>> where T : struct
    {
        sealed class Storage
        {
            internal T[] Items;
            internal bool Disposed;
        }

        Storage m_Storage;

        public NativeArray(int length, Allocator allocator, NativeArrayOptions options = NativeArrayOptions.ClearMemory)
        {
            if (length < 0)
                throw new ArgumentOutOfRangeException(nameof(length), "Length must be >= 0");
            if (allocator <= Allocator.None)
                throw new ArgumentException("Allocator must be Temp, TempJob or Persistent", nameof(allocator));
            m_Storage = new Storage { Items = new T[length] };
            Interlocked.Increment(ref UnityStubs.Jobs.s_LiveNativeArrays);
        }

        public NativeArray(T[] array, Allocator allocator)
            : this(array?.Length ?? throw new ArgumentNullException(nameof(array)), allocator)
        {
            Array.Copy(array, m_Storage.Items, array.Length);
        }

        public int Length => Items.Length;

        public T this[int index]
        {
            get => Items[index];
            set => Items[index] = value;
        }

        public bool IsCreated => m_Storage != null;

        public void Dispose()
        {
            _ = Items;
            m_Storage.Disposed = true;
            m_Storage = null;
            Interlocked.Decrement(ref UnityStubs.Jobs.s_LiveNativeArrays);
        }

        public void CopyFrom(T[] array) => Array.Copy(array, Items, Length);

        public void CopyTo(T[] array) => Array.Copy(Items, array, Length);

        public T[] ToArray() => (T[])Items.Clone();

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Equals(NativeArray<T> other) => ReferenceEquals(m_Storage, other.m_Storage);

        public override bool Equals(object obj) => obj is NativeArray<T> other && Equals(other);

        public override int GetHashCode() => m_Storage == null ? 0 : m_Storage.GetHashCode();

        public static bool operator ==(NativeArray<T> left, NativeArray<T> right) => left.Equals(right);

        public static bool operator !=(NativeArray<T> left, NativeArray<T> right) => !left.Equals(right);

        T[] Items
        {
            get
            {
                if (m_Storage == null || m_Storage.Disposed)
                    throw new ObjectDisposedException("The Unity.Collections.NativeArray`1[" + typeof(T).Name + "] has been deallocated, it is not allowed to access it");
                return m_Storage.Items;
            }
        }
    }
}
