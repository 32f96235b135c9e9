#pragma once
// An idle page should cost nothing. Drawing one frame of this app takes about 100 ms
// under software WebGL, so redrawing a picture that cannot have changed keeps a core
// busy and makes every reaction wait for the frame in progress. The frame loop
// (main.cpp) draws only when something may have changed: input arrived or clicks wait
// in the mouse queue, work is under way, the page is to be told something, the canvas
// changed size, the loading animation or the "link copied" note moves, or a few frames
// ago one of those held (ImGui settles hover and layout over a couple of frames).
// Otherwise the canvas keeps its last picture.

struct GLFWwindow;

// Call before ImGui_ImplGlfw_InitForOpenGL: it chains to the callbacks set here for the
// wheel, keys, characters and the pointer entering or leaving; ImGui 1.86 sets none for
// pointer moves, so that one stays ours alone.
void WatchInput(GLFWwindow* window);

// True when input arrived since the last call.
bool TakeInput();
