#pragma once
// Dear ImGui 1.86 (Debian's) reads the mouse once per frame. At the ten frames a second
// of software WebGL, a quick click followed by another click elsewhere arrives inside
// one frame, and ImGui sees one long press dragged across the screen: the second click
// is lost and a slider under the first one jumps. A pointer that jumps and presses at
// once (a tap on a touch screen) is lost too, since tabs only take a press on what was
// hovered the frame before. ImGui 1.87 trickles input events over frames; this does the
// same for mouse buttons: each press and release is queued with where it happened, and
// ImGui gets one per frame, after a frame that only moves the pointer there.

struct GLFWwindow;

// Call before ImGui_ImplGlfw_InitForOpenGL, which chains to the callback set here.
void QueueMouseButtons(GLFWwindow* window);

// Call after ImGui_ImplGlfw_NewFrame and before ImGui::NewFrame: while button events are
// queued, the oldest one decides this frame's buttons and pointer position.
void ApplyQueuedMouseButton();

// True while presses or releases wait for ImGui.
bool MouseButtonsQueued();
