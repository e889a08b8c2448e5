using System;
using System.Collections.Generic;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>The thread-pool jobs' CPU work: value noise and grid path finding. Pure functions, any thread.</summary>
    public static class Computations
    {
        /// <summary>The mean of a <paramref name="size"/>² tile of smoothed value noise at <paramref name="seed"/>.</summary>
        public static float NoiseTileMean(int seed, int size)
        {
            float sum = 0;
            for (int j = 0; j < size; j++)
            {
                for (int i = 0; i < size; i++)
                {
                    float fx = i / 4f, fy = j / 4f;
                    int x0 = (int)fx, y0 = (int)fy;
                    float tx = fx - x0, ty = fy - y0;
                    float a = Hash(seed, x0, y0), b = Hash(seed, x0 + 1, y0);
                    float c = Hash(seed, x0, y0 + 1), d = Hash(seed, x0 + 1, y0 + 1);
                    float top = a + (b - a) * tx, bottom = c + (d - c) * tx;
                    sum += top + (bottom - top) * ty;
                }
            }

            return sum / (size * size);
        }

        /// <summary>
        /// The length of the shortest 4-connected path across a <paramref name="size"/>² grid with random walls
        /// (breadth-first search), or 0 when the walls block every path.
        /// </summary>
        public static int PathLength(int seed, int size)
        {
            var distance = new int[size * size];
            var queue = new Queue<int>();
            distance[0] = 1;
            queue.Enqueue(0);
            while (queue.Count > 0)
            {
                int cell = queue.Dequeue();
                int cx = cell % size, cy = cell / size;
                if (cell == size * size - 1)
                {
                    return distance[cell] - 1;
                }

                Visit(cx + 1, cy);
                Visit(cx - 1, cy);
                Visit(cx, cy + 1);
                Visit(cx, cy - 1);

                void Visit(int nx, int ny)
                {
                    if (nx < 0 || ny < 0 || nx >= size || ny >= size)
                    {
                        return;
                    }

                    int next = ny * size + nx;
                    if (distance[next] == 0 && Hash(seed, nx, ny) > 0.3f)
                    {
                        distance[next] = distance[cell] + 1;
                        queue.Enqueue(next);
                    }
                }
            }

            return 0;
        }

        static float Hash(int seed, int x, int y)
        {
            unchecked
            {
                uint h = (uint)seed * 0x9E3779B1u ^ (uint)x * 0x85EBCA77u ^ (uint)y * 0xC2B2AE3Du;
                h ^= h >> 15;
                h *= 0x2C1B3C6Du;
                h ^= h >> 12;
                return (h & 0xFFFFFF) / (float)0x1000000;
            }
        }
    }
}
