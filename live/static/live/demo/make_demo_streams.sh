#!/bin/sh
# Re-create the three small demo HLS streams (H.264 in MPEG-TS, 1-second segments, 20 s each)
# shipped with the demo data: one per venue. Needs ffmpeg (Debian package).
set -eu
cd "$(dirname "$0")"
i=1
for pattern in testsrc smptebars rgbtestsrc; do
  rm -rf "venue$i" && mkdir "venue$i"
  ffmpeg -v error -y -f lavfi -i "$pattern=size=320x180:rate=15" -t 20 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -g 15 -f hls -hls_time 2 -hls_list_size 0 -hls_playlist_type vod \
    -hls_segment_filename "venue$i/seg%03d.ts" "venue$i/index.m3u8"
  i=$((i + 1))
done
